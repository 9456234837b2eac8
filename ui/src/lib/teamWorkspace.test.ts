// A team workspace in the window: joining one, starting on the person's own queue, the team view kept fresh, and
// the version a reply is checked against.
import { describe, expect, it, vi } from 'vitest';
import { BackendError } from './backend';
import type { TeamView, WorkspaceInfo } from './bindings';
import { TEAM_FIRST_READ_MS, TeamState } from './team.svelte';
import {
  conversation,
  joinPreview,
  queueSummary,
  teamMember,
  teamView,
  threadOf,
  unusedBackend,
  workspaceEntry,
  workspaceInfo,
} from './testFixtures';
import { Workspaces } from './workspaces.svelte';

/** A backend with no workspace until the person joins the team (whose sidebar lists Triage, Support and Sales). */
function teamBackend(team: TeamView = teamView({ me: teamMember('ana', 'Ana', { queues: ['sales'] }) })) {
  let current: WorkspaceInfo | null = null;
  const open = () => {
    if (current === null) throw new BackendError('no_workspace', 'There is no workspace yet.');
    return current;
  };
  let version = 40;
  return {
    ...unusedBackend(),
    workspace: vi.fn(async () => open()),
    workspaces: vi.fn(async () => (current === null ? [] : [workspaceEntry(current.id, current.name, { is_current: true, is_team: true })])),
    queues: vi.fn(async () => [queueSummary('triage', 'Triage'), queueSummary('support', 'Support'), queueSummary('sales', 'Sales')]),
    conversations: vi.fn(async (_w: string, queue: string) => [conversation(queue === 'sales' ? 9 : 1, queue)]),
    thread: vi.fn(async (_w: string, id: number) => ({ ...threadOf(conversation(id, 'sales')), version: ++version })),
    alertPreferences: vi.fn(async () => {
      throw new BackendError('internal', 'not in this test');
    }),
    accounts: vi.fn(async () => []),
    teamView: vi.fn(async () => (current === null ? null : team)),
    previewJoin: vi.fn(async () => joinPreview()),
    joinTeam: vi.fn(async (name: string) => {
      current = workspaceInfo('northwind', name, { is_team: true });
      return workspaceEntry('northwind', name, { is_current: true, is_team: true });
    }),
  };
}

describe('A team workspace', () => {
  it('joins from the first-workspace screen and opens on the person\'s own queue', async () => {
    const backend = teamBackend();
    const workspaces = new Workspaces(backend);
    await workspaces.start();
    expect(workspaces.phase.status).toBe('none');

    await expect(workspaces.previewJoin('code')).resolves.toMatchObject({ team_name: 'Northwind Support' });
    expect(await workspaces.join('Northwind Support', 'code')).toEqual({ ok: true });
    expect(backend.joinTeam).toHaveBeenCalledWith('Northwind Support', 'code');
    const view = workspaces.view!;
    expect(view.openedAs).toBe('northwind');
    expect(view.isTeam).toBe(true);
    expect(view.team.view?.team_name).toBe('Northwind Support');
    expect(view.console.selectedQueueId, 'Ana works Sales').toBe('sales');
    expect(view.console.queues.map((q) => q.queue.id), 'the other queues stay listed').toEqual(['triage', 'support', 'sales']);
  });

  it('does not wait long for a slow team view: the window opens on the first queue', async () => {
    vi.useFakeTimers();
    try {
      const backend = teamBackend();
      const workspaces = new Workspaces(backend);
      await workspaces.start();
      backend.teamView.mockImplementation(() => new Promise(() => undefined));
      const joining = workspaces.join('Northwind', 'code');
      await vi.advanceTimersByTimeAsync(TEAM_FIRST_READ_MS);
      expect(await joining).toEqual({ ok: true });
      expect(workspaces.view?.console.selectedQueueId).toBe('triage');
    } finally {
      vi.useRealTimers();
    }
  });

  it('says why joining failed, in the backend\'s words', async () => {
    const backend = teamBackend();
    backend.joinTeam.mockRejectedValueOnce({ code: 'not_allowed', message: 'You were removed from this team.' });
    const workspaces = new Workspaces(backend);
    await workspaces.start();
    expect(await workspaces.join('Northwind', 'code')).toEqual({ ok: false, message: 'You were removed from this team.' });
    await expect(workspaces.previewJoin('')).resolves.toBeDefined();
    backend.previewJoin.mockRejectedValueOnce({ code: 'platform', message: "The team's server did not answer." });
    await expect(workspaces.previewJoin('code')).rejects.toMatchObject({ message: "The team's server did not answer." });
  });

  it('sends the version seen when the thread was opened, not a later one, until it is opened again', async () => {
    const backend = teamBackend();
    const workspaces = new Workspaces(backend);
    await workspaces.start();
    await workspaces.join('Northwind', 'code');
    const app = workspaces.view!.console;
    await app.selectConversation(9);
    const seen = app.seenVersionFor(9);
    expect(seen).toBe(app.thread?.version);
    await app.refresh();
    expect(app.thread!.version, 'the live thread moved on').toBeGreaterThan(seen!);
    expect(app.seenVersionFor(9)).toBe(seen);
    expect(app.seenVersionFor(1)).toBeNull();

    await app.selectQueue('support');
    await app.selectQueue('sales');
    await app.selectConversation(9);
    expect(app.seenVersionFor(9), 'opened again: seen again').toBeGreaterThan(seen!);
  });
});

describe('TeamState', () => {
  it('keeps the last team view when a read fails, and shares a read already on its way', async () => {
    let answer: Promise<TeamView | null> = Promise.resolve(teamView());
    const backend = { teamView: vi.fn(() => answer) };
    const team = new TeamState(backend);
    await team.refresh();
    expect(team.view?.team_name).toBe('Northwind Support');

    answer = Promise.reject(new BackendError('storage', 'busy'));
    await team.refresh();
    expect(team.view?.team_name, 'kept').toBe('Northwind Support');

    answer = Promise.resolve(teamView());
    await Promise.all([team.refresh(), team.refresh()]);
    expect(backend.teamView).toHaveBeenCalledTimes(3);
  });

  it('knows the person, whether they lead, their queues, and whom a hand-off can go to', async () => {
    const team = new TeamState({ teamView: async () => teamView({ me: teamMember('priya', 'Priya', { lead: true, queues: ['sales'] }) }) });
    expect(team.isLead).toBe(false);
    expect(team.myQueues).toEqual([]);
    await team.refresh();
    expect(team.isLead).toBe(true);
    expect(team.myQueues).toEqual(['sales']);
    expect(team.handoffMembers.map((m) => m.name)).toEqual(['Ana', 'Bob']);
  });

  it('is null for a workspace that is not a team\'s', async () => {
    const team = new TeamState({ teamView: async () => null });
    await team.refresh();
    expect(team.view).toBeNull();
    expect(team.handoffMembers).toEqual([]);
  });
});
