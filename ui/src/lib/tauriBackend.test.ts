import { describe, expect, it, vi } from 'vitest';
import capability from '../../../capabilities/default.json';
import { BackendError, type Backend } from './backend';
import { COMMAND_ARGS, COMMAND_NAMES, WORKSPACE_COMMANDS } from './commands';
import { CHANGED_EVENT, OPEN_EVENT, SWITCHED_EVENT, TauriBackend, type TauriIpc } from './tauriBackend';
import { alertPrefs, queueResponseTimes, responseTimesReport } from './testFixtures';

function fakeIpc(answer: (command: string) => unknown = () => null) {
  let handler: ((payload: unknown) => void) | null = null;
  const unlisten = vi.fn();
  const ipc = {
    invoke: vi.fn(async (command: string, _args?: Record<string, unknown>) => answer(command)),
    listen: vi.fn(async (_event: string, h: (payload: unknown) => void) => {
      handler = h;
      return unlisten;
    }),
  };
  return {
    ipc: ipc as unknown as TauriIpc & typeof ipc,
    unlisten,
    emit: (payload: unknown = null) => handler?.(payload),
  };
}

/** Lets the listen() promise settle. */
async function settled() {
  await Promise.resolve();
  await Promise.resolve();
}

/** One call of every method of `Backend` (what the window can ask). */
const EVERY_CALL: ReadonlyArray<(backend: Backend) => Promise<unknown>> = [
  (b) => b.workspace(),
  (b) => b.queues('acme'),
  (b) => b.conversations('acme', 'support'),
  (b) => b.thread('acme', 12),
  (b) => b.claim('acme', 3),
  (b) => b.release('acme', 3),
  (b) => b.reopen('acme', 3),
  (b) => b.handOff('acme', 3, 'sales', 'Wants a quote'),
  (b) => b.addNote('acme', 3, 'Called back'),
  (b) => b.setItemHidden('acme', 3, 30, true, 'spam'),
  (b) => b.markDone('acme', 3, 'no_reply_needed'),
  (b) => b.snooze('acme', 3, 60),
  (b) => b.alertPreferences('acme'),
  (b) => b.setAlertPreferences('acme', alertPrefs()),
  (b) => b.pauseAlerts('acme', 60),
  (b) => b.sendReply('acme', 3, 'Thanks!', 'key-1'),
  (b) => b.retryReply('acme', 3, 17),
  (b) => b.approveReply('acme', 3, 'approval-1', null),
  (b) => b.approveReply('acme', 3, 'approval-1', 'Edited', ['messaging_app']),
  (b) => b.rejectReply('acme', 3, 'approval-1', 'Too curt'),
  (b) => b.checkReply('acme', 3, 'Call me on +1 555 0100'),
  (b) => b.savedReplies('acme'),
  (b) => b.saveSavedReply('acme', { id: null, title: 'Refund', text: 'Hi {customer}', category: 'Orders', queues: [], platforms: [] }),
  (b) => b.archiveSavedReply('acme', 'sr-1', true),
  (b) => b.fillSavedReply('acme', 3, 'sr-1', [{ name: 'order number', value: '123' }]),
  (b) => b.teamView('acme'),
  (b) => b.setPresence('acme', 3, 'viewing'),
  (b) => b.previewJoin('code'),
  (b) => b.joinTeam('Acme team', 'code'),
  (b) => b.workspaces(),
  (b) => b.createWorkspace('Acme'),
  (b) => b.renameWorkspace('acme', 'Acme EU'),
  (b) => b.switchWorkspace('acme'),
  (b) => b.exportWorkspaceLog('acme'),
  (b) => b.removeWorkspace('acme'),
  (b) => b.accounts('acme'),
  (b) => b.addAccount('acme', { platform: 'mastodon', instance: 'social.example' }),
  (b) => b.cancelSignIn('acme'),
  (b) => b.confirmAccount('acme', 'p-1', true),
  (b) => b.removeAccount('acme', 'mastodon:1@social.example'),
  (b) => b.metaAppSetup('acme'),
  (b) => b.startMetaSignIn('acme', '1234567890', 'client-token'),
  (b) => b.finishMetaSignIn('acme'),
  (b) => b.addMetaAccounts('acme', ['page:1']),
  (b) => b.responseTimes('acme', 7),
  (b) => b.managedSettings(),
  (b) => b.startupSettings(),
  (b) => b.setStartAtLogin(true),
  (b) => b.lastCrash(),
  (b) => b.dismissCrash(),
  (b) => b.openCrashFolder(),
  (b) => b.checkForUpdate(),
  (b) => b.installUpdate(),
];

describe('TauriBackend', () => {
  it('calls only commands of the shell, each with the arguments the shell takes, naming the workspace', async () => {
    const { ipc } = fakeIpc();
    const backend = new TauriBackend(ipc);
    for (const call of EVERY_CALL) await call(backend);
    const invoked = ipc.invoke.mock.calls.map(([command, args]) => [command, Object.keys(args ?? {})]);
    for (const [command, keys] of invoked) {
      expect(COMMAND_NAMES, 'a command of crates/engine/src/commands/list.rs').toContain(command);
      const name = command as keyof typeof COMMAND_ARGS;
      expect(keys, `the arguments of ${name}`).toEqual(COMMAND_ARGS[name]);
      if (WORKSPACE_COMMANDS.includes(name)) expect(ipc.invoke.mock.calls.find(([c]) => c === name)![1]).toMatchObject({ workspace: 'acme' });
    }
    expect(new Set(invoked.map(([command]) => command)), 'every command of the shell is called by the window').toEqual(
      new Set(COMMAND_NAMES),
    );
  });

  it('the shell allows the window exactly the commands of the list (capabilities/default.json)', () => {
    const allowed = capability.permissions.filter((p) => p.startsWith('allow-'));
    expect(allowed).toEqual(COMMAND_NAMES.map((name) => `allow-${name.replaceAll('_', '-')}`));
  });

  it('sends the values as given, with camelCase keys', async () => {
    const prefs = alertPrefs({ queues: ['support'] });
    const request = { platform: 'bluesky', service: 'https://bsky.social', handle: 'brand.bsky.social', app_password: 'abcd-efgh' } as const;
    const { ipc } = fakeIpc();
    const backend = new TauriBackend(ipc);
    await backend.handOff('acme', 3, 'sales', 'Wants a quote');
    await backend.sendReply('acme', 3, 'Thanks, on it!', 'key-1');
    await backend.handOff('acme', 3, 'sales', 'For you', 'priya');
    await backend.sendReply('acme', 3, 'Thanks, on it!', 'key-1', { seenVersion: 41, sendAnyway: true, confirmedRules: null });
    await backend.setPresence('acme', null, null);
    await backend.retryReply('acme', 3, 17);
    await backend.setAlertPreferences('acme', prefs);
    await backend.addAccount('acme', request);
    await backend.renameWorkspace('globex', 'Globex EU');
    await backend.workspace();
    expect(ipc.invoke.mock.calls).toEqual([
      ['hand_off', { workspace: 'acme', conversationId: 3, queue: 'sales', note: 'Wants a quote', toMember: null }],
      [
        'send_reply',
        { workspace: 'acme', conversationId: 3, text: 'Thanks, on it!', idempotencyKey: 'key-1', seenVersion: null, sendAnyway: false, confirmedRules: null },
      ],
      ['hand_off', { workspace: 'acme', conversationId: 3, queue: 'sales', note: 'For you', toMember: 'priya' }],
      [
        'send_reply',
        { workspace: 'acme', conversationId: 3, text: 'Thanks, on it!', idempotencyKey: 'key-1', seenVersion: 41, sendAnyway: true, confirmedRules: null },
      ],
      ['set_presence', { workspace: 'acme', conversationId: null, activity: null }],
      ['retry_reply', { workspace: 'acme', conversationId: 3, replyId: 17 }],
      ['set_alert_preferences', { workspace: 'acme', preferences: prefs }],
      ['add_account', { workspace: 'acme', request }],
      ['rename_workspace', { id: 'globex', name: 'Globex EU' }],
      ['workspace_info', {}],
    ]);
  });

  it('passes a refusal for another workspace on as workspace_changed', async () => {
    const message = 'That belongs to workspace acme, which is no longer open.';
    const { ipc } = fakeIpc(() => {
      throw { code: 'workspace_changed', message };
    });
    await expect(new TauriBackend(ipc).claim('acme', 3)).rejects.toMatchObject({ code: 'workspace_changed', message });
  });

  it('answers with what the shell answered', async () => {
    const report = responseTimesReport([queueResponseTimes('support', 'Support')]);
    const { ipc } = fakeIpc(() => report);
    await expect(new TauriBackend(ipc).responseTimes('acme', 7)).resolves.toEqual(report);
  });

  it('turns a rejected action into a BackendError with the backend\'s words', async () => {
    const { ipc } = fakeIpc(() => {
      throw { code: 'invalid_input', message: 'Write a note first.' };
    });
    await expect(new TauriBackend(ipc).addNote('acme', 3, '')).rejects.toMatchObject({
      code: 'invalid_input',
      message: 'Write a note first.',
    });
  });

  it('turns a rejected ApiError into a BackendError', async () => {
    const { ipc } = fakeIpc(() => {
      throw { code: 'storage', message: 'The database is locked.' };
    });
    const failure = new TauriBackend(ipc).queues('acme');
    await expect(failure).rejects.toBeInstanceOf(BackendError);
    await expect(failure).rejects.toMatchObject({ code: 'storage', message: 'The database is locked.' });
  });

  it('listens to workspace://changed and stops on unsubscribe', async () => {
    const { ipc, unlisten, emit } = fakeIpc();
    const callback = vi.fn();
    const stop = new TauriBackend(ipc).onChange(callback);
    await Promise.resolve();
    await Promise.resolve();
    expect(ipc.listen.mock.calls[0]![0]).toBe(CHANGED_EVENT);

    emit();
    expect(callback).toHaveBeenCalledTimes(1);

    stop();
    expect(unlisten).toHaveBeenCalledTimes(1);
    emit();
    expect(callback).toHaveBeenCalledTimes(1);
  });

  it('unlistens even when unsubscribed before listening finished', async () => {
    const { ipc, unlisten } = fakeIpc();
    const stop = new TauriBackend(ipc).onChange(() => undefined);
    stop();
    await Promise.resolve();
    await Promise.resolve();
    expect(unlisten).toHaveBeenCalledTimes(1);
  });

  it('rejects invalid preferences with the backend\'s words', async () => {
    const message = '`25:00` is not a time of day; write it as HH:MM, e.g. 18:00.';
    const { ipc } = fakeIpc(() => {
      throw { code: 'invalid_input', message };
    });
    const failure = new TauriBackend(ipc).setAlertPreferences('acme', alertPrefs());
    await expect(failure).rejects.toBeInstanceOf(BackendError);
    await expect(failure).rejects.toMatchObject({ code: 'invalid_input', message });
  });

  it('listens to conversation://open and passes the conversation id on', async () => {
    const { ipc, unlisten, emit } = fakeIpc();
    const callback = vi.fn();
    const stop = new TauriBackend(ipc).onOpenConversation(callback);
    await settled();
    expect(ipc.listen.mock.calls[0]![0]).toBe(OPEN_EVENT);

    emit(42);
    expect(callback).toHaveBeenCalledWith(42);

    stop();
    expect(unlisten).toHaveBeenCalledTimes(1);
    emit(43);
    expect(callback).toHaveBeenCalledTimes(1);
  });

  it('ignores an open request whose payload is not a conversation id', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const { ipc, emit } = fakeIpc();
    const callback = vi.fn();
    new TauriBackend(ipc).onOpenConversation(callback);
    await settled();
    emit('42');
    emit(1.5);
    emit(null);
    expect(callback).not.toHaveBeenCalled();
    warn.mockRestore();
  });

  it('keeps the new error codes, so the window can tell them apart', async () => {
    for (const code of ['no_workspace', 'keychain', 'not_allowed', 'platform', 'sign_in_again']) {
      const { ipc } = fakeIpc(() => {
        throw { code, message: 'Words.' };
      });
      await expect(new TauriBackend(ipc).accounts('acme'), code).rejects.toMatchObject({ code, message: 'Words.' });
    }
  });

  it('listens to workspace://switched and stops on unsubscribe', async () => {
    const { ipc, unlisten, emit } = fakeIpc();
    const callback = vi.fn();
    const stop = new TauriBackend(ipc).onWorkspaceSwitched(callback);
    await settled();
    expect(ipc.listen.mock.calls[0]![0]).toBe(SWITCHED_EVENT);
    expect(SWITCHED_EVENT).toBe('workspace://switched');

    emit('acme');
    expect(callback).toHaveBeenCalledTimes(1);
    stop();
    expect(unlisten).toHaveBeenCalledTimes(1);
    emit('demo');
    expect(callback).toHaveBeenCalledTimes(1);
  });
});
