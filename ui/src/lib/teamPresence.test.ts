// A team workspace's view: whether it is a team's, and the presence it tells the team.
import { describe, expect, it, vi } from 'vitest';
import { conversation, queueSummary, teamView, threadOf, unusedBackend, workspaceInfo } from './testFixtures';
import { WorkspaceView } from './workspaceView.svelte';

function teamBackend() {
  return {
    ...unusedBackend(),
    workspace: vi.fn(async () => workspaceInfo('northwind', 'Northwind', { is_team: true })),
    queues: vi.fn(async () => [queueSummary('support', 'Support', 1)]),
    conversations: vi.fn(async () => [conversation(1)]),
    thread: vi.fn(async () => threadOf(conversation(1))),
    alertPreferences: vi.fn(async () => {
      throw new Error('not in this test');
    }),
    accounts: vi.fn(async () => []),
    teamView: vi.fn(async () => teamView()),
    setPresence: vi.fn(async () => undefined),
  };
}

describe('A team workspace view', () => {
  it('is a team\'s when the workspace says so or the team view answers', async () => {
    const backend = teamBackend();
    const view = new WorkspaceView(backend, 'northwind');
    expect(view.isTeam).toBe(false);
    await view.start();
    expect(view.isTeam).toBe(true);
    view.dispose();
  });

  it('tells the team what the person does on the open conversation, and nothing once disposed', async () => {
    const backend = teamBackend();
    const view = new WorkspaceView(backend, 'northwind');
    await view.start();
    view.presence.follow(1);
    view.replies.edit(1, 'Hi');
    view.dispose();
    expect(backend.setPresence.mock.calls).toEqual([
      ['northwind', 1, 'viewing'],
      ['northwind', 1, 'replying'],
      ['northwind', null, null],
    ]);
  });
});
