// Everything the window shows for one open workspace: its console (queues, list, thread), notification
// settings, action forms, reply drafts, brand accounts, response times, and in a team workspace the team and the
// person's presence. A switch replaces the whole view with a new one,
// so nothing of the previous workspace survives, and late answers land in a view nobody shows any more.
import { ActionForms } from './actionForms.svelte';
import { Accounts } from './accounts.svelte';
import { AlertSettings } from './alertSettings.svelte';
import { forWorkspace, type Backend } from './backend';
import { ConsoleState } from './consoleState.svelte';
import { PresenceAnnouncer } from './presence';
import { ReplyDrafts } from './replyDrafts.svelte';
import { ReplyGuardrails } from './replyGuardrails.svelte';
import { SavedReplies } from './savedReplies.svelte';
import { SavedReplyPicker } from './savedReplyPicker.svelte';
import { ResponseTimes } from './responseTimesState.svelte';
import { TEAM_FIRST_READ_MS, TeamState } from './team.svelte';

export class WorkspaceView {
  readonly console: ConsoleState;
  readonly alerts: AlertSettings;
  readonly forms = new ActionForms();
  readonly replies = new ReplyDrafts();
  readonly guardrails: ReplyGuardrails;
  readonly savedReplies: SavedReplies;
  /** The reply box's saved-reply picker (Ctrl+/). */
  readonly picker: SavedReplyPicker;
  readonly accounts: Accounts;
  readonly responseTimes: ResponseTimes;
  readonly team: TeamState;
  readonly presence: PresenceAnnouncer;

  /**
   * The workspace this view shows: the id it was opened for. Every call of the view names it, so the backend
   * refuses them once another workspace is open; a later read with another id means the backend switched under it.
   */
  readonly openedAs: string;

  /**
   * Whether this is a team's workspace (the team view, presence and the link state apply). Derived, so what
   * follows it (presence, the team poll) changes only when it does, not on every refresh of the workspace info.
   */
  readonly isTeam: boolean;

  private disposed = false;

  constructor(backend: Backend, workspaceId: string) {
    this.openedAs = workspaceId;
    const scoped = forWorkspace(backend, workspaceId);
    this.console = new ConsoleState(scoped);
    this.alerts = new AlertSettings(scoped);
    this.accounts = new Accounts(scoped);
    this.responseTimes = new ResponseTimes(scoped);
    this.team = new TeamState(scoped);
    this.guardrails = new ReplyGuardrails((id, text) => scoped.checkReply(id, text));
    this.savedReplies = new SavedReplies(scoped);
    this.picker = new SavedReplyPicker(
      () => this.savedReplies.list,
      (id, saved, answers) => scoped.fillSavedReply(id, saved, answers),
      () => this.savedReplies.ensureLoaded(),
      () => {
        const load = this.savedReplies.load;
        return load.status === 'error' ? `Couldn't load the saved replies: ${load.error.message}` : null;
      },
    );
    this.presence = new PresenceAnnouncer((id, activity) => scoped.setPresence(id, activity));
    this.replies.onTyped = (id, text) => this.presence.typed(id, text);
    this.isTeam = $derived((this.console.workspace?.is_team ?? false) || this.team.view !== null);
  }

  /** First load of everything; in a team the sidebar starts on the person's own queue. */
  async start(): Promise<void> {
    const startConsole = async () => {
      // The team view is local and quick; a slow one never holds the window back.
      await Promise.race([this.team.refresh(), new Promise((resolve) => setTimeout(resolve, TEAM_FIRST_READ_MS))]);
      this.console.preferredQueues = this.team.myQueues;
      await this.console.start();
    };
    await Promise.all([startConsole(), this.alerts.start(), this.accounts.start()]);
  }

  /** Live refresh after a change. */
  async refresh(): Promise<void> {
    if (this.disposed) return;
    this.responseTimes.refresh();
    this.savedReplies.refresh();
    await Promise.all([this.console.refresh(), this.alerts.refresh(), this.accounts.refresh(), this.team.refresh()]);
  }


  /** The short poll of a team workspace: the team view and what is on screen (claims and presence). */
  async refreshTeam(): Promise<void> {
    if (this.disposed) return;
    await Promise.all([this.team.refresh(), this.console.refresh()]);
  }

  /** Whether the backend says there is no workspace open (it was removed, or none was ever created). */
  get hasNoWorkspace(): boolean {
    const load = this.console.queuesLoad;
    return (
      (load.status === 'error' && load.error.code === 'no_workspace') ||
      this.console.refreshError?.code === 'no_workspace'
    );
  }

  /** Whether the backend refused a call of this view because another workspace is open now. */
  get wasSwitchedAway(): boolean {
    const load = this.console.queuesLoad;
    return (
      (load.status === 'error' && load.error.code === 'workspace_changed') ||
      this.console.refreshError?.code === 'workspace_changed'
    );
  }

  /** Whether the backend now has another workspace open than the one this view was opened for. */
  get isStale(): boolean {
    const id = this.console.workspace?.id;
    return this.wasSwitchedAway || (id !== undefined && id !== this.openedAs);
  }

  /** Closes its side panels (team members, notifications, accounts, response times). */
  closePanels(): void {
    this.team.close();
    this.alerts.close();
    this.accounts.close();
    this.responseTimes.close();
    this.savedReplies.close();
  }

  /** Whether one of its panels or dialogs is open (for Esc and the shortcuts). */
  get hasModal(): boolean {
    return this.accounts.hasModal;
  }

  /** The view is being replaced: stops a sign-in still waiting for the browser. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.presence.stop();
    this.guardrails.dispose();
    this.team.dispose();
    this.accounts.dispose();
    this.responseTimes.dispose();
  }
}
