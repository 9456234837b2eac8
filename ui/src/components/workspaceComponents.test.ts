// The workspace switcher, the manage panel, the removal dialog and the first-workspace screen, rendered to
// HTML (server-side, no DOM): roles, labels, test ids, and names kept as text.
import { render } from 'svelte/server';
import { describe, expect, it, vi } from 'vitest';
import type { WorkspaceEntry } from '../lib/bindings';
import { unusedBackend, workspaceEntry } from '../lib/testFixtures';
import { WorkspaceRemoval } from '../lib/workspaceRemoval.svelte';
import { Workspaces } from '../lib/workspaces.svelte';
import ManageWorkspacesPanel from './ManageWorkspacesPanel.svelte';
import NoWorkspace from './NoWorkspace.svelte';
import RemoveWorkspaceDialog from './RemoveWorkspaceDialog.svelte';
import WorkspaceSwitcher from './WorkspaceSwitcher.svelte';

const noop = () => undefined;
const HOSTILE = '<img src=x onerror=alert(1)><script>alert(2)</script>';
const ENTRIES = [
  workspaceEntry('demo', 'Demo — Northwind Coffee', { is_demo: true }),
  workspaceEntry('acme', 'Acme', { is_current: true }),
];

function switcher(options: { open?: boolean; switchingTo?: string | null; entries?: WorkspaceEntry[] } = {}) {
  return render(WorkspaceSwitcher, {
    props: {
      name: 'Acme',
      isDemo: false,
      switchingTo: options.switchingTo ?? null,
      entries: options.entries ?? ENTRIES,
      load: { status: 'ready' },
      open: options.open ?? false,
      onToggle: noop,
      onClose: noop,
      onPick: noop,
      onManage: noop,
      onRetry: noop,
    },
  }).body;
}

/** Workspaces whose list is `entries` (loaded from a fake backend). */
async function workspacesWith(entries: WorkspaceEntry[]) {
  const backend = { ...unusedBackend(), workspaces: vi.fn(async () => entries) };
  const workspaces = new Workspaces(backend);
  await workspaces.loadEntries(true);
  return workspaces;
}

describe('WorkspaceSwitcher', () => {
  it('shows the open workspace\'s name on a menu button, with its shortcut', () => {
    const html = switcher();
    expect(html).toMatch(/data-testid="workspace-name"[^>]*>Acme</);
    expect(html).toMatch(/<button[^>]*aria-haspopup="menu"[^>]*aria-expanded="false"/);
    expect(html).toContain('title="Switch workspace (w)"');
    expect(html).not.toContain('role="menu"');
  });

  it('lists every workspace in a menu, the open one checked, with Ctrl+n and "Manage workspaces…"', () => {
    const html = switcher({ open: true });
    expect(html).toMatch(/role="menu"[^>]*aria-label="Workspaces"/);
    expect(html.match(/role="menuitemradio"/g)).toHaveLength(2);
    expect(html).toMatch(/aria-checked="true"[^>]*data-workspace-id="acme"/);
    expect(html).toMatch(/aria-checked="false"[^>]*data-workspace-id="demo"/);
    expect(html).toContain('(open now)');
    expect(html).toContain('Ctrl+1');
    expect(html).toContain('Ctrl+2');
    expect(html).toMatch(/data-testid="manage-workspaces"[^>]*>.*Manage workspaces…/s);
  });

  it('says which workspace is opening while switching', () => {
    const html = switcher({ switchingTo: 'Globex' });
    expect(html).toMatch(/data-testid="workspace-switching"[^>]*>Opening “Globex”…</);
    expect(html).not.toContain('data-testid="workspace-name"');
  });

  it('escapes workspace names', () => {
    const html = switcher({ open: true, entries: [workspaceEntry('x', HOSTILE, { is_current: true })] });
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<script');
  });
});

describe('ManageWorkspacesPanel', () => {
  it('lists the workspaces with Open (not for the open one), Rename and Remove, and the create form', async () => {
    const workspaces = await workspacesWith(ENTRIES);
    const html = render(ManageWorkspacesPanel, { props: { workspaces, onRemove: noop, onClose: noop } }).body;
    expect(html).toMatch(/<aside[^>]*aria-label="Manage workspaces"/);
    expect(html.match(/data-testid="workspace-row"/g)).toHaveLength(2);
    expect(html.match(/data-testid="workspace-open-button"/g), 'only the other one can be opened').toHaveLength(1);
    expect(html).toMatch(/data-testid="workspace-open"[^>]*>Open now</);
    expect(html.match(/data-testid="workspace-rename"/g)).toHaveLength(2);
    expect(html.match(/data-testid="workspace-remove"/g)).toHaveLength(2);
    expect(html.match(/data-testid="workspace-export"/g)).toHaveLength(2);
    expect(html).toContain('data-testid="create-workspace-input"');
    expect(html).toMatch(/data-testid="create-workspace-submit"[^>]*>Create and open</);
    expect(html).toContain('0 / 80 characters');
  });
});

describe('RemoveWorkspaceDialog', () => {
  function dialog(removal: WorkspaceRemoval, isOpen = false) {
    return render(RemoveWorkspaceDialog, { props: { removal, isOpen, onClose: noop } }).body;
  }
  const fake = {
    exportLog: async () => ({ ok: true as const, path: '/home/ana/Downloads/acme-log.jsonl' }),
    remove: async () => ({ ok: true as const }),
  };

  it('is a modal dialog that names the workspace and says what is deleted', () => {
    const html = dialog(new WorkspaceRemoval(workspaceEntry('acme', 'Acme'), fake), true);
    expect(html).toMatch(/role="dialog"[^>]*aria-modal="true"[^>]*aria-labelledby="remove-workspace-title"/);
    expect(html).toMatch(/id="remove-workspace-title"[^>]*>Remove the workspace “Acme”\?</);
    expect(html).toContain('its conversations, notes and hand-offs');
    expect(html).toContain('its event log');
    expect(html).toContain('token revoked where the platform allows');
    expect(html).toContain('It is open now');
    expect(html).toMatch(/data-testid="export-workspace-log"[^>]*>Export the log first</);
  });

  it('enables the destructive button only once the name is typed', () => {
    const removal = new WorkspaceRemoval(workspaceEntry('acme', 'Acme'), fake);
    expect(dialog(removal)).toMatch(/data-testid="remove-workspace-submit"[^>]*disabled[^>]*>Remove workspace</);
    removal.type('Acme');
    expect(dialog(removal)).not.toMatch(/data-testid="remove-workspace-submit"[^>]*disabled/);
  });

  it('shows where the exported log went', async () => {
    const removal = new WorkspaceRemoval(workspaceEntry('acme', 'Acme'), fake);
    await removal.exportLog();
    expect(dialog(removal)).toMatch(/data-testid="exported-log-path"[^>]*>.*\/home\/ana\/Downloads\/acme-log.jsonl/s);
  });

  it('escapes the name', () => {
    const html = dialog(new WorkspaceRemoval(workspaceEntry('x', HOSTILE), fake));
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<script');
  });
});

describe('NoWorkspace', () => {
  it('explains workspaces and offers to create the first one', async () => {
    const html = render(NoWorkspace, { props: { workspaces: await workspacesWith([]) } }).body;
    expect(html).toContain('data-testid="no-workspace"');
    expect(html).toContain('Create your first workspace');
    expect(html).toMatch(/data-testid="first-workspace-submit"[^>]*>Create workspace</);
    expect(html).not.toContain('Or open one');
  });
});
