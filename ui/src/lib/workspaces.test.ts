import { describe, expect, it, vi } from 'vitest';
import { BackendError } from './backend';
import type { ConversationSummary, QueueSummary, SignInOutcome, SignInRequest, WorkspaceEntry, WorkspaceInfo } from './bindings';
import { conversation, queueSummary, threadOf, unusedBackend, workspaceEntry, workspaceInfo } from './testFixtures';
import { Workspaces } from './workspaces.svelte';

interface FakeWorkspace {
  info: WorkspaceInfo;
  queues: QueueSummary[];
  lists: Record<string, ConversationSummary[]>;
}

/** An in-memory backend with several workspaces; reads answer from the current one, like the real one. */
function fakeBackend() {
  const data = {
    current: 'acme' as string | null,
    workspaces: new Map<string, FakeWorkspace>([
      [
        'acme',
        {
          info: workspaceInfo('acme', 'Acme'),
          queues: [queueSummary('support', 'Support', 1)],
          lists: { support: [conversation(1, 'support', { preview: 'Acme customer' })] },
        },
      ],
      [
        'globex',
        {
          info: workspaceInfo('globex', 'Globex'),
          queues: [queueSummary('sales', 'Sales', 1)],
          lists: { sales: [conversation(50, 'sales', { preview: 'Globex customer' })] },
        },
      ],
    ]),
  };
  const open = () => {
    const found = data.current === null ? undefined : data.workspaces.get(data.current);
    if (!found) throw new BackendError('no_workspace', 'There is no workspace yet. Create one to start.');
    return found;
  };
  const entries = (): WorkspaceEntry[] =>
    [...data.workspaces.values()].map((w) =>
      workspaceEntry(w.info.id, w.info.name, { is_current: w.info.id === data.current }),
    );
  /** The open workspace when a call names it; a call naming another one is refused, like the real backend does. */
  const named = (workspace: string) => {
    const found = open();
    if (found.info.id !== workspace) {
      throw new BackendError('workspace_changed', `That belongs to workspace ${workspace}, which is no longer open.`);
    }
    return found;
  };
  const backend = {
    ...unusedBackend(),
    workspace: vi.fn(async () => open().info),
    queues: vi.fn(async (workspace: string) => named(workspace).queues),
    conversations: vi.fn(async (workspace: string, queue: string) => named(workspace).lists[queue] ?? []),
    thread: vi.fn(async (workspace: string, id: number) => {
      const found = Object.values(named(workspace).lists).flat().find((c) => c.id === id);
      if (!found) throw new BackendError('not_found', 'That conversation is gone.');
      return threadOf(found);
    }),
    claim: vi.fn(async (workspace: string, id: number) => {
      const found = Object.values(named(workspace).lists).flat().find((c) => c.id === id);
      if (!found) throw new BackendError('not_found', 'That conversation is gone.');
      return threadOf({ ...found, claimed_by: 'Ana' });
    }),
    alertPreferences: vi.fn(async (workspace: string) => {
      named(workspace);
      return {
        person: 'Ana',
        queues: [],
        lead_of: [],
        quiet_hours: null,
        time_zone: 'UTC',
        cooldown_seconds: 60,
        paused_until: null,
        escalations_pierce_quiet_hours: false,
      };
    }),
    accounts: vi.fn(async (workspace: string) => {
      named(workspace);
      return [];
    }),
    workspaces: vi.fn(async () => entries()),
    switchWorkspace: vi.fn(async (id: string) => {
      const found = data.workspaces.get(id);
      if (!found) throw new BackendError('not_found', 'That workspace is gone.');
      data.current = id;
      return found.info;
    }),
    createWorkspace: vi.fn(async (name: string) => {
      const id = name.toLowerCase().replace(/\W+/g, '-');
      data.workspaces.set(id, { info: workspaceInfo(id, name), queues: [queueSummary('triage', 'Triage')], lists: {} });
      data.current = id;
      return workspaceEntry(id, name, { is_current: true });
    }),
    renameWorkspace: vi.fn(async (id: string, name: string) => {
      const found = data.workspaces.get(id)!;
      found.info = { ...found.info, name };
      return entries();
    }),
    removeWorkspace: vi.fn(async (id: string) => {
      data.workspaces.delete(id);
      if (data.current === id) data.current = data.workspaces.keys().next().value ?? null;
      return entries();
    }),
    exportWorkspaceLog: vi.fn(async (id: string) => `/home/ana/Downloads/${id}.jsonl`),
    // A Mastodon sign-in that waits for the browser until cancelled.
    addAccount: vi.fn((_workspace: string, _request: SignInRequest) => new Promise<SignInOutcome>(() => undefined)),
    cancelSignIn: vi.fn(async () => undefined),
  };
  return { backend, data };
}

async function started() {
  const fake = fakeBackend();
  const workspaces = new Workspaces(fake.backend);
  await workspaces.start();
  return { ...fake, workspaces };
}

describe('Workspaces', () => {
  it('opens the current workspace and lists them all', async () => {
    const { workspaces } = await started();
    expect(workspaces.phase.status).toBe('open');
    expect(workspaces.view?.console.workspace?.name).toBe('Acme');
    expect(workspaces.view?.openedAs).toBe('acme');
    expect(workspaces.entries.map((w) => w.name)).toEqual(['Acme', 'Globex']);
    expect(workspaces.current?.id).toBe('acme');
  });

  it('shows the empty state when there is no workspace, and opens the first one created', async () => {
    const { backend, data } = fakeBackend();
    data.workspaces.clear();
    data.current = null;
    const workspaces = new Workspaces(backend);
    await workspaces.start();
    expect(workspaces.phase.status, 'no_workspace means the create-the-first-one screen').toBe('none');
    expect(workspaces.view).toBeNull();

    expect(await workspaces.create('  Initech  ')).toEqual({ ok: true });
    expect(backend.createWorkspace).toHaveBeenCalledWith('Initech');
    expect(workspaces.phase.status).toBe('open');
    expect(workspaces.view?.console.workspace?.name).toBe('Initech');
    expect(workspaces.view?.console.queues.map((q) => q.queue.id)).toEqual(['triage']);
  });

  it('switches with a fresh view: nothing of the previous workspace stays', async () => {
    const { workspaces } = await started();
    const before = workspaces.view!;
    await before.console.selectConversation(1);
    before.forms.open(1, 'note');
    before.replies.edit(1, 'Half a reply');
    await before.alerts.open();
    await before.accounts.open();

    expect(await workspaces.switchTo('globex')).toBe(true);
    const after = workspaces.view!;
    expect(after, 'a new view for the new workspace').not.toBe(before);
    expect(after.console.workspace?.name).toBe('Globex');
    expect(after.console.selectedQueueId).toBe('sales');
    expect(after.console.conversations.map((c) => c.id)).toEqual([50]);
    expect(after.console.thread).toBeNull();
    expect(after.forms.isOpen).toBe(false);
    expect(after.replies.draft(1)).toBe('');
    expect(after.alerts.isOpen).toBe(false);
    expect(after.accounts.isOpen).toBe(false);
    expect(workspaces.current?.id).toBe('globex');
  });

  it('shows nothing of the old workspace while switching, and the switch in progress', async () => {
    const { workspaces, backend } = await started();
    let answer: () => void = () => undefined;
    backend.switchWorkspace.mockImplementationOnce(
      (id: string) => new Promise((resolve) => (answer = () => resolve(workspaceInfo(id, 'Globex')))),
    );
    const switching = workspaces.switchTo('globex');
    expect(workspaces.view).toBeNull();
    expect(workspaces.phase).toEqual({ status: 'switching', name: 'Globex' });
    expect(await workspaces.switchTo('acme'), 'one switch at a time').toBe(false);
    answer();
    await switching;
    expect(workspaces.phase.status).toBe('open');
  });

  it('drops a late answer of the previous workspace', async () => {
    const { workspaces, backend } = await started();
    const before = workspaces.view!;
    let late: () => void = () => undefined;
    backend.thread.mockImplementationOnce(
      () => new Promise((resolve) => (late = () => resolve(threadOf(conversation(1, 'support', { preview: 'Acme secret' }))))),
    );
    const opening = before.console.selectConversation(1);
    await workspaces.switchTo('globex');
    late();
    await opening;
    const view = workspaces.view!;
    expect(view.console.thread, 'the late Acme thread never reaches the Globex view').toBeNull();
    expect(view.console.selectedConversationId).toBeNull();
  });

  it('keeps the previous workspace open, with the reason, when a switch fails', async () => {
    const { workspaces, backend } = await started();
    const before = workspaces.view;
    backend.switchWorkspace.mockRejectedValueOnce({ code: 'storage', message: 'The database is locked.' });
    expect(await workspaces.switchTo('globex')).toBe(false);
    expect(workspaces.view).toBe(before);
    expect(workspaces.phase.status).toBe('open');
    expect(workspaces.switchError).toBe("Couldn't open “Globex”: The database is locked.");
  });

  it('switches to the n-th workspace for Ctrl+1…9, and ignores numbers past the end', async () => {
    const { workspaces } = await started();
    expect(await workspaces.switchToIndex(1)).toBe(true);
    expect(workspaces.view?.console.workspace?.id).toBe('globex');
    expect(await workspaces.switchToIndex(5)).toBe(false);
    expect(await workspaces.switchToIndex(1), 'the open one again is a no-op').toBe(true);
  });

  it('follows a switch made elsewhere (the tray), with a fresh view', async () => {
    const { workspaces, data } = await started();
    const before = workspaces.view;
    await workspaces.adopt();
    expect(workspaces.view, 'same workspace: the view stays').toBe(before);

    data.current = 'globex';
    await workspaces.adopt();
    expect(workspaces.view).not.toBe(before);
    expect(workspaces.view?.console.workspace?.name).toBe('Globex');
  });

  it('notices in a live refresh that the backend opened another workspace', async () => {
    const { workspaces, data } = await started();
    const before = workspaces.view;
    data.current = 'globex';
    await workspaces.refresh();
    expect(workspaces.view).not.toBe(before);
    expect(workspaces.view?.console.workspace?.name).toBe('Globex');
    expect(workspaces.view?.console.conversations.map((c) => c.id)).toEqual([50]);
  });

  it('validates names before asking the backend', async () => {
    const { workspaces, backend } = await started();
    expect(await workspaces.create('   ')).toEqual({ ok: false, message: 'Give the workspace a name.' });
    expect(await workspaces.create('x'.repeat(81))).toMatchObject({ ok: false });
    expect(await workspaces.rename('acme', 'globex')).toMatchObject({ ok: false, message: expect.stringContaining('already') });
    expect(backend.createWorkspace).not.toHaveBeenCalled();
    expect(backend.renameWorkspace).not.toHaveBeenCalled();
  });

  it('renames, and the header of the open workspace follows', async () => {
    const { workspaces, backend } = await started();
    expect(await workspaces.rename('acme', ' Acme EU ')).toEqual({ ok: true });
    expect(backend.renameWorkspace).toHaveBeenCalledWith('acme', 'Acme EU');
    expect(workspaces.entries.find((w) => w.id === 'acme')?.name).toBe('Acme EU');
    await vi.waitFor(() => expect(workspaces.view?.console.workspace?.name).toBe('Acme EU'));
  });

  it('reports a failed rename in the backend\'s words', async () => {
    const { workspaces, backend } = await started();
    backend.renameWorkspace.mockRejectedValueOnce({ code: 'invalid_input', message: 'That name is too long.' });
    expect(await workspaces.rename('acme', 'B')).toEqual({ ok: false, message: 'That name is too long.' });
    expect(workspaces.busy).toBeNull();
  });

  it('removes another workspace and keeps the open one', async () => {
    const { workspaces } = await started();
    const before = workspaces.view;
    expect(await workspaces.remove('globex')).toEqual({ ok: true });
    expect(workspaces.entries.map((w) => w.id)).toEqual(['acme']);
    expect(workspaces.view).toBe(before);
  });

  it('removes the open workspace and opens the one the backend opened instead', async () => {
    const { workspaces } = await started();
    const before = workspaces.view;
    expect(await workspaces.remove('acme')).toEqual({ ok: true });
    expect(workspaces.view).not.toBe(before);
    expect(workspaces.view?.console.workspace?.name).toBe('Globex');
    expect(workspaces.phase.status).toBe('open');
  });

  it('shows the empty state after removing the last workspace', async () => {
    const { workspaces } = await started();
    await workspaces.remove('globex');
    await workspaces.remove('acme');
    expect(workspaces.phase.status).toBe('none');
    expect(workspaces.view).toBeNull();
    expect(workspaces.entries).toEqual([]);
  });

  it('shows progress while removing, and the reason when it fails', async () => {
    const { workspaces, backend } = await started();
    let fail: () => void = () => undefined;
    backend.removeWorkspace.mockImplementationOnce(
      () => new Promise((_, reject) => (fail = () => reject({ code: 'keychain', message: 'The keychain is locked.' }))),
    );
    const removing = workspaces.remove('acme');
    expect(workspaces.busy).toEqual({ operation: 'remove', id: 'acme' });
    fail();
    expect(await removing).toEqual({ ok: false, message: 'The keychain is locked.' });
    expect(workspaces.busy).toBeNull();
    expect(workspaces.view?.console.workspace?.name).toBe('Acme');
  });

  it('exports a log and gives the written path', async () => {
    const { workspaces } = await started();
    expect(await workspaces.exportLog('acme')).toEqual({ ok: true, path: '/home/ana/Downloads/acme.jsonl' });
  });

  it('stops a sign-in waiting in the browser when the workspace is left', async () => {
    const { workspaces, backend } = await started();
    const view = workspaces.view!;
    view.accounts.signIn.openForm('mastodon');
    view.accounts.signIn.edit({ instance: 'social.example' });
    void view.accounts.signIn.submit();
    expect(view.accounts.signIn.phase).toBe('browser');
    await workspaces.switchTo('globex');
    expect(backend.cancelSignIn).toHaveBeenCalledTimes(1);
  });
});

describe('Workspaces and the backend\'s switch event', () => {
  it('does not open a second view when the event for its own switch arrives while the first still loads', async () => {
    const { workspaces, backend } = await started();
    let answerQueues: () => void = () => undefined;
    const realQueues = backend.queues.getMockImplementation()!;
    backend.queues.mockImplementationOnce(
      (workspace: string) => new Promise((resolve) => (answerQueues = () => resolve(realQueues(workspace)))),
    );
    const switching = workspaces.switchTo('globex');
    await vi.waitFor(() => expect(workspaces.phase.status).toBe('open'));
    const view = workspaces.view;
    await workspaces.adopt(); // workspace://switched for the switch just made
    expect(workspaces.view, 'the same view stays').toBe(view);
    answerQueues();
    await switching;
    expect(workspaces.view).toBe(view);
    expect(workspaces.view?.console.workspace?.name).toBe('Globex');
  });
});

describe('Workspaces name the workspace of every call', () => {
  it('a view calls the backend for its own workspace only, and follows a switch made elsewhere', async () => {
    const { workspaces, backend, data } = await started();
    const acme = workspaces.view!;
    expect(backend.queues).toHaveBeenCalledWith('acme');
    await acme.console.selectConversation(1);
    expect(backend.thread).toHaveBeenLastCalledWith('acme', 1);

    // The tray switches to Globex, which has its own conversations; the Acme view is still on screen.
    data.current = 'globex';
    expect(await acme.console.perform({ type: 'claim' }), 'a late action of the Acme view is refused').toBe(false);
    expect(backend.claim).toHaveBeenCalledWith('acme', 1);
    expect(acme.console.actionError?.error.code).toBe('workspace_changed');

    await workspaces.refresh();
    expect(workspaces.view?.openedAs, 'the refresh opens the workspace that is open now').toBe('globex');
    expect(backend.queues).toHaveBeenLastCalledWith('globex');
  });
});

describe('Workspaces when the open workspace disappears', () => {
  it('shows the first-workspace screen when a live refresh finds no workspace', async () => {
    const { workspaces, data } = await started();
    data.workspaces.clear();
    data.current = null;
    await workspaces.refresh();
    expect(workspaces.phase.status).toBe('none');
    expect(workspaces.view).toBeNull();
  });

  it('opens the workspace the backend fell back to', async () => {
    const { workspaces, data } = await started();
    data.workspaces.delete('acme');
    data.current = 'globex';
    await workspaces.refresh();
    expect(workspaces.view?.console.workspace?.name).toBe('Globex');
    expect(workspaces.view?.console.conversations.map((c) => c.id)).toEqual([50]);
  });
});
