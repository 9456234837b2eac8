// Joining a team: the person pastes the join code an administrator gave them, checks it (the team, its server,
// their queues and role), names the new workspace (the team's name unless they change it) and joins. The code is
// never logged or shown again: the field is cleared once joined, and the backend keeps it in the keychain only.
import { toBackendError } from './backend';
import type { JoinPreview } from './bindings';
import type { Outcome } from './workspaces.svelte';

/** What joining needs of the workspaces: checking a code and joining with it. */
export interface Joiner {
  previewJoin(code: string): Promise<JoinPreview>;
  join(name: string, code: string): Promise<Outcome>;
}

export const EMPTY_CODE_MESSAGE = 'Paste the join code you were given first.';

export class JoinTeamForm {
  /** Whether the form is shown. */
  isOpen = $state(false);
  code = $state('');
  /** The new workspace's name: the team's name once the code is checked, unless the person typed one. */
  name = $state('');
  /** What the checked code leads to; null until checked (and again once the code changes). */
  preview = $state.raw<JoinPreview | null>(null);
  /** The backend's words for a refused code or join, or what is missing. */
  error = $state<string | null>(null);
  busy = $state<'preview' | 'join' | null>(null);

  private nameTyped = false;

  constructor(private readonly joiner: Joiner) {}

  open(): void {
    this.isOpen = true;
  }

  /** Closes the form and forgets the code. */
  close(): void {
    this.isOpen = false;
    this.reset();
  }

  toggle(): void {
    if (this.isOpen) this.close();
    else this.open();
  }

  setCode(code: string): void {
    this.code = code;
    this.preview = null;
    this.error = null;
  }

  setName(name: string): void {
    this.name = name;
    this.nameTyped = true;
    this.error = null;
  }

  /** Checks the code against the team database; shows the team and the person's queues. */
  async check(): Promise<boolean> {
    const code = this.code.trim();
    if (code === '') {
      this.error = EMPTY_CODE_MESSAGE;
      return false;
    }
    if (this.busy !== null) return false;
    this.busy = 'preview';
    this.error = null;
    try {
      const preview = await this.joiner.previewJoin(code);
      if (this.code.trim() !== code) return false; // the code changed meanwhile
      this.preview = preview;
      if (!this.nameTyped || this.name.trim() === '') this.name = preview.team_name;
      return true;
    } catch (reason) {
      this.error = toBackendError(reason).message;
      return false;
    } finally {
      this.busy = null;
    }
  }

  /** Joins with the checked code; the form clears (and closes) once joined. */
  async join(): Promise<boolean> {
    if (this.busy !== null) return false;
    if (this.preview === null && !(await this.check())) return false;
    this.busy = 'join';
    this.error = null;
    let outcome: Outcome;
    try {
      outcome = await this.joiner.join(this.name, this.code.trim());
    } finally {
      this.busy = null;
    }
    if (!outcome.ok) {
      this.error = outcome.message;
      return false;
    }
    this.close();
    return true;
  }

  private reset(): void {
    this.code = '';
    this.name = '';
    this.preview = null;
    this.error = null;
    this.nameTyped = false;
  }
}
