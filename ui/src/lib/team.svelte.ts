// The team of a team workspace as the window knows it: the backend's team view (link state, members, policy,
// replies awaiting approval), kept fresh by every change and a short poll, and whether the members panel is open.
// A failed read keeps the last view on screen: the team is best-effort and never blocks work.
import type { WorkspaceBackend } from './backend';
import type { QueueId, TeamMemberView, TeamView } from './bindings';
import { handoffMembers } from './teamText';

/** How often the window asks for the team view (and the list's presence) in a team workspace. */
export const TEAM_POLL_MS = 5_000;
/** How long the first load waits for the team view (to start on the person's own queue) before going on. */
export const TEAM_FIRST_READ_MS = 1_500;

export class TeamState {
  /** The team; null for a workspace that is not a team's (or before the first answer). */
  view = $state.raw<TeamView | null>(null);
  /** Whether the members panel is open. */
  isOpen = $state(false);

  private running: Promise<void> | null = null;
  private disposed = false;

  constructor(private readonly backend: Pick<WorkspaceBackend, 'teamView'>) {}

  /** Reads the team view; a read already on its way is shared rather than doubled. */
  refresh(): Promise<void> {
    if (this.running !== null) return this.running;
    this.running = this.read().finally(() => (this.running = null));
    return this.running;
  }

  private async read(): Promise<void> {
    try {
      const view = await this.backend.teamView();
      if (!this.disposed) this.view = view;
    } catch {
      // Kept as it was: the link line shows how the team stands, and the next poll tries again.
    }
  }

  /** The person at this laptop, in a team. */
  get me(): TeamMemberView | null {
    return this.view?.me ?? null;
  }

  /** Whether the person leads (approves trainees' replies, sees the approval count). */
  get isLead(): boolean {
    return this.view?.me.lead ?? false;
  }

  /** The person's own queues (their roles), in a team; empty otherwise. */
  get myQueues(): QueueId[] {
    return this.view?.me.queues ?? [];
  }

  /** Teammates one can hand a conversation to: every member but the person, by name. */
  get handoffMembers(): TeamMemberView[] {
    return handoffMembers(this.view);
  }

  toggle(): void {
    this.isOpen = !this.isOpen;
  }

  open(): void {
    this.isOpen = true;
    void this.refresh();
  }

  close(): void {
    this.isOpen = false;
  }

  /** The view is being replaced: late answers are dropped. */
  dispose(): void {
    this.disposed = true;
  }
}
