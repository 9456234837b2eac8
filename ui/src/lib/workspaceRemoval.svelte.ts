// The "Remove workspace" confirmation: the person types the workspace's name to enable the button, may
// export its log first (and sees where it went), and sees progress and failures of the removal.
import type { WorkspaceEntry } from './bindings';
import type { Outcome, Workspaces } from './workspaces.svelte';

export type ExportState =
  | { status: 'idle' }
  | { status: 'exporting' }
  | { status: 'done'; path: string }
  | { status: 'error'; message: string };

export class WorkspaceRemoval {
  typed = $state('');
  exported = $state.raw<ExportState>({ status: 'idle' });
  removing = $state(false);
  error = $state.raw<string | null>(null);

  /** The typed name matches: the destructive button is enabled. */
  confirmed = $derived(this.typed.trim() === this.target.name.trim());

  constructor(
    readonly target: WorkspaceEntry,
    private readonly workspaces: Pick<Workspaces, 'exportLog' | 'remove'>,
  ) {}

  type(text: string): void {
    this.typed = text;
    this.error = null;
  }

  /** Writes the log to the Downloads folder before removing. */
  async exportLog(): Promise<boolean> {
    if (this.exported.status === 'exporting' || this.removing) return false;
    this.exported = { status: 'exporting' };
    const result = await this.workspaces.exportLog(this.target.id);
    this.exported = result.ok ? { status: 'done', path: result.path } : { status: 'error', message: result.message };
    return result.ok;
  }

  /** Removes the workspace once its name was typed. */
  async remove(): Promise<Outcome> {
    if (!this.confirmed) {
      const message = `Type “${this.target.name}” to confirm.`;
      this.error = message;
      return { ok: false, message };
    }
    if (this.removing) return { ok: false, message: 'Already removing.' };
    this.removing = true;
    this.error = null;
    try {
      const outcome = await this.workspaces.remove(this.target.id);
      if (!outcome.ok) this.error = outcome.message;
      return outcome;
    } finally {
      this.removing = false;
    }
  }
}
