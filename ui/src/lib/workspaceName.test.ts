import { describe, expect, it } from 'vitest';
import { workspaceEntry } from './testFixtures';
import { WorkspaceRemoval } from './workspaceRemoval.svelte';
import type { Outcome } from './workspaces.svelte';
import { cleanWorkspaceName, WORKSPACE_NAME_MAX, workspaceNameProblem } from './workspaceName';

describe('workspaceNameProblem', () => {
  const others = [workspaceEntry('acme', 'Acme'), workspaceEntry('globex', 'Globex')];

  it('wants a name, trimmed, of at most 80 characters', () => {
    expect(workspaceNameProblem('')).toBe('Give the workspace a name.');
    expect(workspaceNameProblem('   ')).toBe('Give the workspace a name.');
    expect(workspaceNameProblem('x'.repeat(WORKSPACE_NAME_MAX))).toBeNull();
    expect(workspaceNameProblem(`  ${'x'.repeat(WORKSPACE_NAME_MAX)}  `), 'spaces around do not count').toBeNull();
    expect(workspaceNameProblem('x'.repeat(81))).toBe('Keep the name to 80 characters or fewer (it has 81).');
    expect(cleanWorkspaceName('  Initech ')).toBe('Initech');
  });

  it('refuses a name another workspace has, whatever the case, but not the one being renamed', () => {
    expect(workspaceNameProblem(' acme ', others)).toContain('already a workspace called “acme”');
    expect(workspaceNameProblem('ACME', others, 'acme'), 'renaming Acme to ACME').toBeNull();
    expect(workspaceNameProblem('Initech', others)).toBeNull();
  });
});

describe('WorkspaceRemoval', () => {
  function removal(remove: () => Promise<Outcome> = async () => ({ ok: true })) {
    const calls = { remove: 0 };
    const workspaces = {
      exportLog: async (id: string) => ({ ok: true as const, path: `/home/ana/Downloads/${id}.jsonl` }),
      remove: async () => {
        calls.remove++;
        return remove();
      },
    };
    return { removal: new WorkspaceRemoval(workspaceEntry('acme', 'Acme Support'), workspaces), calls };
  }

  it('enables removing only once the exact name is typed', async () => {
    const { removal: r, calls } = removal();
    expect(r.confirmed).toBe(false);
    r.type('acme support');
    expect(r.confirmed, 'the case matters').toBe(false);
    expect(await r.remove()).toEqual({ ok: false, message: 'Type “Acme Support” to confirm.' });
    expect(calls.remove).toBe(0);
    r.type(' Acme Support ');
    expect(r.confirmed).toBe(true);
    expect(await r.remove()).toEqual({ ok: true });
    expect(calls.remove).toBe(1);
  });

  it('exports the log first and shows where it went', async () => {
    const { removal: r } = removal();
    const exporting = r.exportLog();
    expect(r.exported.status).toBe('exporting');
    await exporting;
    expect(r.exported).toEqual({ status: 'done', path: '/home/ana/Downloads/acme.jsonl' });
  });

  it('shows the reason when removing fails', async () => {
    const { removal: r } = removal(async () => ({ ok: false, message: 'The keychain is locked.' }));
    r.type('Acme Support');
    const removing = r.remove();
    expect(r.removing).toBe(true);
    await removing;
    expect(r.removing).toBe(false);
    expect(r.error).toBe('The keychain is locked.');
  });
});
