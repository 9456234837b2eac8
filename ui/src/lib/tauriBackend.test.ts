import { describe, expect, it, vi } from 'vitest';
import { BackendError } from './backend';
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

describe('TauriBackend', () => {
  it('calls the documented commands with camelCase arguments', async () => {
    const { ipc } = fakeIpc();
    const backend = new TauriBackend(ipc);
    await backend.workspace();
    await backend.queues();
    await backend.conversations('support');
    await backend.thread(12);
    expect(ipc.invoke.mock.calls).toEqual([
      ['workspace_info', undefined],
      ['list_queues', undefined],
      ['list_conversations', { queue: 'support' }],
      ['get_thread', { conversationId: 12 }],
    ]);
  });

  it('calls the action commands with camelCase arguments', async () => {
    const { ipc } = fakeIpc();
    const backend = new TauriBackend(ipc);
    await backend.claim(3);
    await backend.release(3);
    await backend.reopen(3);
    await backend.handOff(3, 'sales', 'Wants a quote');
    await backend.addNote(3, 'Called back');
    await backend.markDone(3, 'no_reply_needed');
    await backend.snooze(3, 60);
    expect(ipc.invoke.mock.calls).toEqual([
      ['claim', { conversationId: 3 }],
      ['release', { conversationId: 3 }],
      ['reopen', { conversationId: 3 }],
      ['hand_off', { conversationId: 3, queue: 'sales', note: 'Wants a quote' }],
      ['add_note', { conversationId: 3, note: 'Called back' }],
      ['mark_done', { conversationId: 3, reason: 'no_reply_needed' }],
      ['snooze', { conversationId: 3, minutes: 60 }],
    ]);
  });

  it('turns a rejected action into a BackendError with the backend\'s words', async () => {
    const { ipc } = fakeIpc(() => {
      throw { code: 'invalid_input', message: 'Write a note first.' };
    });
    await expect(new TauriBackend(ipc).addNote(3, '')).rejects.toMatchObject({
      code: 'invalid_input',
      message: 'Write a note first.',
    });
  });

  it('turns a rejected ApiError into a BackendError', async () => {
    const { ipc } = fakeIpc(() => {
      throw { code: 'storage', message: 'The database is locked.' };
    });
    const failure = new TauriBackend(ipc).queues();
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

  it('calls the notification commands, sending the preferences whole', async () => {
    const prefs = alertPrefs({ queues: ['support'], quiet_hours: { start: '18:00', end: '08:00' } });
    const { ipc } = fakeIpc(() => prefs);
    const backend = new TauriBackend(ipc);
    await expect(backend.alertPreferences()).resolves.toEqual(prefs);
    await backend.setAlertPreferences(prefs);
    await backend.pauseAlerts(60);
    await backend.pauseAlerts(0);
    expect(ipc.invoke.mock.calls).toEqual([
      ['alert_preferences', undefined],
      ['set_alert_preferences', { preferences: prefs }],
      ['pause_alerts', { minutes: 60 }],
      ['pause_alerts', { minutes: 0 }],
    ]);
  });

  it('rejects invalid preferences with the backend\'s words', async () => {
    const message = '`25:00` is not a time of day; write it as HH:MM, e.g. 18:00.';
    const { ipc } = fakeIpc(() => {
      throw { code: 'invalid_input', message };
    });
    const failure = new TauriBackend(ipc).setAlertPreferences(alertPrefs());
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

  it('calls the reply commands with camelCase arguments', async () => {
    const { ipc } = fakeIpc();
    const backend = new TauriBackend(ipc);
    await backend.sendReply(3, 'Thanks, on it!');
    await backend.retryReply(3, 17);
    expect(ipc.invoke.mock.calls, 'the Rust commands take conversationId/text and conversationId/replyId').toEqual([
      ['send_reply', { conversationId: 3, text: 'Thanks, on it!' }],
      ['retry_reply', { conversationId: 3, replyId: 17 }],
    ]);
  });

  it('calls the workspace commands', async () => {
    const { ipc } = fakeIpc();
    const backend = new TauriBackend(ipc);
    await backend.workspaces();
    await backend.createWorkspace('Acme');
    await backend.renameWorkspace('acme', 'Acme EU');
    await backend.switchWorkspace('acme');
    await backend.exportWorkspaceLog('acme');
    await backend.removeWorkspace('acme');
    expect(ipc.invoke.mock.calls).toEqual([
      ['list_workspaces', undefined],
      ['create_workspace', { name: 'Acme' }],
      ['rename_workspace', { id: 'acme', name: 'Acme EU' }],
      ['switch_workspace', { id: 'acme' }],
      ['export_workspace_log', { id: 'acme' }],
      ['remove_workspace', { id: 'acme' }],
    ]);
  });

  it('calls the account commands, sending the sign-in request whole', async () => {
    const { ipc } = fakeIpc();
    const backend = new TauriBackend(ipc);
    const request = { platform: 'bluesky', service: 'https://bsky.social', handle: 'brand.bsky.social', app_password: 'abcd-efgh' } as const;
    await backend.accounts();
    await backend.addAccount(request);
    await backend.cancelSignIn();
    await backend.confirmAccount('p-1', true);
    await backend.removeAccount('mastodon:1@social.example');
    expect(ipc.invoke.mock.calls).toEqual([
      ['list_accounts', undefined],
      ['add_account', { request }],
      ['cancel_sign_in', undefined],
      ['confirm_account', { pending: 'p-1', confirm: true }],
      ['remove_account', { key: 'mastodon:1@social.example' }],
    ]);
  });

  it('asks for the response times with the number of days', async () => {
    const report = responseTimesReport([queueResponseTimes('support', 'Support')]);
    const { ipc } = fakeIpc(() => report);
    const backend = new TauriBackend(ipc);
    await expect(backend.responseTimes(7)).resolves.toEqual(report);
    await backend.responseTimes(90);
    expect(ipc.invoke.mock.calls).toEqual([
      ['response_times', { days: 7 }],
      ['response_times', { days: 90 }],
    ]);
  });

  it('keeps the new error codes, so the window can tell them apart', async () => {
    for (const code of ['no_workspace', 'keychain', 'not_allowed', 'platform', 'sign_in_again']) {
      const { ipc } = fakeIpc(() => {
        throw { code, message: 'Words.' };
      });
      await expect(new TauriBackend(ipc).accounts(), code).rejects.toMatchObject({ code, message: 'Words.' });
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
