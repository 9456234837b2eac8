// What the window says when launching did not go to plan: workspaces that could not be opened (with why),
// and conversations a policy change moved out of a removed queue. Rendered to HTML (server-side, no DOM).
import { render } from 'svelte/server';
import { describe, expect, it, vi } from 'vitest';
import type { WorkspaceEntry } from '../lib/bindings';
import { unusedBackend, workspaceEntry } from '../lib/testFixtures';
import { Workspaces } from '../lib/workspaces.svelte';
import NoWorkspace from './NoWorkspace.svelte';
import OpenErrorsBanner from './OpenErrorsBanner.svelte';
import PolicyNoticeBanner from './PolicyNoticeBanner.svelte';

const DAMAGED = 'the database file is damaged (file is not a database). It was left as it is.';
const HOSTILE = '<img src=x onerror=alert(1)>';

async function workspacesWith(entries: WorkspaceEntry[]) {
  const backend = { ...unusedBackend(), workspaces: vi.fn(async () => entries) };
  const workspaces = new Workspaces(backend);
  await workspaces.loadEntries(true);
  return workspaces;
}

describe('workspaces that could not be opened at launch', () => {
  it('are listed by name with why, as text', () => {
    const failed = [workspaceEntry('acme', `Acme ${HOSTILE}`, { open_error: DAMAGED })];
    const html = render(OpenErrorsBanner, { props: { failed, onDismiss: () => undefined } }).body;
    expect(html).toMatch(/role="alert"[^>]*data-testid="open-errors"/);
    expect(html).toContain(`Could not open “<span class="untrusted">Acme &lt;img src=x onerror=alert(1)></span>”:`);
    expect(html).toContain(DAMAGED);
    expect(html).not.toContain('<img');
  });

  it('come from the list, leave out the open one, and stay hidden once dismissed', async () => {
    const workspaces = await workspacesWith([
      workspaceEntry('demo', 'Demo', { is_current: true }),
      workspaceEntry('acme', 'Acme', { open_error: DAMAGED }),
      workspaceEntry('globex', 'Globex'),
    ]);
    expect(workspaces.openErrors.map((w) => w.id)).toEqual(['acme']);
    workspaces.dismissOpenErrors();
    expect(workspaces.openErrors).toEqual([]);
  });

  it('show on the first-workspace screen when none could be opened', async () => {
    const workspaces = await workspacesWith([workspaceEntry('acme', 'Acme', { open_error: DAMAGED })]);
    const html = render(NoWorkspace, { props: { workspaces } }).body;
    expect(html).toContain('data-testid="open-errors"');
    expect(html).toContain(`Could not open “<span class="untrusted">Acme</span>”: <span class="untrusted">${DAMAGED}</span>`);
    expect(html).toContain('data-testid="no-workspace"');
  });

  it('show nothing when every workspace opened', () => {
    const html = render(OpenErrorsBanner, { props: { failed: [], onDismiss: () => undefined } }).body;
    expect(html).not.toContain('open-errors');
  });
});

describe('the policy notice', () => {
  it('says which queue went and where its conversations are', () => {
    const notice = 'Queue “Billing” was removed: 12 conversations moved to Triage.';
    const html = render(PolicyNoticeBanner, { props: { notice } }).body;
    expect(html).toMatch(/role="status"[^>]*data-testid="policy-notice"/);
    expect(html).toContain(notice);
  });
});
