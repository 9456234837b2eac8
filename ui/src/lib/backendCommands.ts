// The calls of `Backend`, each one command of the shell's list (`commands.ts`, generated from the Rust list): both
// backends (Tauri IPC, the HTTP bridge) extend this and differ only in how a command travels and how events arrive.
import type { Backend, CollisionCheck } from './backend';
import type {
  AccountView,
  Activity,
  AlertPreferences,
  ConversationSummary,
  CrashNotice,
  DoneReason,
  FilledReply,
  GuardrailFinding,
  JoinPreview,
  ManagedView,
  MetaAppSetup,
  MetaChoices,
  MetaDeviceCode,
  PlaceholderAnswer,
  QueueId,
  QueueSummary,
  ResponseTimesReport,
  SavedReply,
  SavedReplyDraft,
  SignInOutcome,
  SignInRequest,
  StartupView,
  TeamView,
  Thread,
  UpdateView,
  WorkspaceEntry,
  WorkspaceInfo,
} from './bindings';
import type { CommandName, Commands } from './commands';

/** Options of one call. */
export interface CallOptions {
  /** Waits as long as the shell takes (a sign-in waiting for the person in the browser). */
  noTimeout?: boolean;
}

export abstract class CommandBackend implements Backend {
  /** Runs command `name` with `args`; rejects with a `BackendError`. */
  protected abstract call<K extends CommandName>(
    name: K,
    args: Commands[K]['args'],
    options?: CallOptions,
  ): Promise<Commands[K]['returns']>;

  abstract onChange(callback: () => void): () => void;
  abstract onOpenConversation(callback: (conversationId: number) => void): () => void;
  abstract onWorkspaceSwitched(callback: () => void): () => void;

  workspace(): Promise<WorkspaceInfo> {
    return this.call('workspace_info', {});
  }

  queues(workspace: string): Promise<QueueSummary[]> {
    return this.call('list_queues', { workspace });
  }

  conversations(workspace: string, queue: QueueId): Promise<ConversationSummary[]> {
    return this.call('list_conversations', { workspace, queue });
  }

  thread(workspace: string, conversationId: number): Promise<Thread> {
    return this.call('get_thread', { workspace, conversationId });
  }

  claim(workspace: string, conversationId: number): Promise<Thread> {
    return this.call('claim', { workspace, conversationId });
  }

  release(workspace: string, conversationId: number): Promise<Thread> {
    return this.call('release', { workspace, conversationId });
  }

  reopen(workspace: string, conversationId: number): Promise<Thread> {
    return this.call('reopen', { workspace, conversationId });
  }

  handOff(
    workspace: string,
    conversationId: number,
    queue: QueueId,
    note: string,
    toMember: string | null = null,
  ): Promise<Thread> {
    return this.call('hand_off', { workspace, conversationId, queue, note, toMember });
  }

  addNote(workspace: string, conversationId: number, note: string): Promise<Thread> {
    return this.call('add_note', { workspace, conversationId, note });
  }

  setItemHidden(workspace: string, conversationId: number, itemId: number, hidden: boolean, reason: string): Promise<Thread> {
    return this.call('set_item_hidden', { workspace, conversationId, itemId, hidden, reason });
  }

  markDone(workspace: string, conversationId: number, reason: DoneReason): Promise<Thread> {
    return this.call('mark_done', { workspace, conversationId, reason });
  }

  snooze(workspace: string, conversationId: number, minutes: number): Promise<Thread> {
    return this.call('snooze', { workspace, conversationId, minutes });
  }

  alertPreferences(workspace: string): Promise<AlertPreferences> {
    return this.call('alert_preferences', { workspace });
  }

  setAlertPreferences(workspace: string, preferences: AlertPreferences): Promise<AlertPreferences> {
    return this.call('set_alert_preferences', { workspace, preferences });
  }

  pauseAlerts(workspace: string, minutes: number): Promise<AlertPreferences> {
    return this.call('pause_alerts', { workspace, minutes });
  }

  sendReply(
    workspace: string,
    conversationId: number,
    text: string,
    idempotencyKey: string,
    check: CollisionCheck = { seenVersion: null, sendAnyway: false },
  ): Promise<Thread> {
    const { seenVersion, sendAnyway, confirmedRules = null } = check;
    return this.call('send_reply', {
      workspace,
      conversationId,
      text,
      idempotencyKey,
      seenVersion,
      sendAnyway,
      confirmedRules,
    });
  }

  checkReply(workspace: string, conversationId: number, text: string): Promise<GuardrailFinding[]> {
    return this.call('check_reply', { workspace, conversationId, text });
  }

  savedReplies(workspace: string): Promise<SavedReply[]> {
    return this.call('list_saved_replies', { workspace });
  }

  saveSavedReply(workspace: string, draft: SavedReplyDraft): Promise<SavedReply> {
    return this.call('save_saved_reply', { workspace, draft });
  }

  archiveSavedReply(workspace: string, id: string, archived: boolean): Promise<SavedReply[]> {
    return this.call('archive_saved_reply', { workspace, id, archived });
  }

  fillSavedReply(workspace: string, conversationId: number, id: string, answers: PlaceholderAnswer[]): Promise<FilledReply> {
    return this.call('fill_saved_reply', { workspace, conversationId, id, answers });
  }

  approveReply(
    workspace: string,
    conversationId: number,
    approval: string,
    text: string | null,
    confirmedRules: string[] | null = null,
  ): Promise<Thread> {
    return this.call('approve_reply', { workspace, conversationId, approval, text, confirmedRules });
  }

  rejectReply(workspace: string, conversationId: number, approval: string, reason: string): Promise<Thread> {
    return this.call('reject_reply', { workspace, conversationId, approval, reason });
  }

  teamView(workspace: string): Promise<TeamView | null> {
    return this.call('team_view', { workspace });
  }

  async setPresence(workspace: string, conversationId: number | null, activity: Activity | null): Promise<void> {
    await this.call('set_presence', { workspace, conversationId, activity });
  }

  previewJoin(code: string): Promise<JoinPreview> {
    return this.call('preview_join', { code });
  }

  joinTeam(name: string, code: string): Promise<WorkspaceEntry> {
    return this.call('join_team', { name, code });
  }

  retryReply(workspace: string, conversationId: number, replyId: number): Promise<Thread> {
    return this.call('retry_reply', { workspace, conversationId, replyId });
  }

  workspaces(): Promise<WorkspaceEntry[]> {
    return this.call('list_workspaces', {});
  }

  createWorkspace(name: string): Promise<WorkspaceEntry> {
    return this.call('create_workspace', { name });
  }

  renameWorkspace(id: string, name: string): Promise<WorkspaceEntry[]> {
    return this.call('rename_workspace', { id, name });
  }

  switchWorkspace(id: string): Promise<WorkspaceInfo> {
    return this.call('switch_workspace', { id });
  }

  exportWorkspaceLog(id: string): Promise<string> {
    return this.call('export_workspace_log', { id });
  }

  removeWorkspace(id: string): Promise<WorkspaceEntry[]> {
    return this.call('remove_workspace', { id });
  }

  accounts(workspace: string): Promise<AccountView[]> {
    return this.call('list_accounts', { workspace });
  }

  addAccount(workspace: string, request: SignInRequest): Promise<SignInOutcome> {
    // A Mastodon sign-in waits for the person in the browser.
    return this.call('add_account', { workspace, request }, { noTimeout: true });
  }

  async cancelSignIn(workspace: string): Promise<void> {
    await this.call('cancel_sign_in', { workspace });
  }

  confirmAccount(workspace: string, pending: string, confirm: boolean): Promise<AccountView | null> {
    return this.call('confirm_account', { workspace, pending, confirm });
  }

  removeAccount(workspace: string, key: string): Promise<AccountView[]> {
    return this.call('remove_account', { workspace, key });
  }

  metaAppSetup(workspace: string): Promise<MetaAppSetup> {
    return this.call('meta_app_setup', { workspace });
  }

  startMetaSignIn(workspace: string, appId: string | null, clientToken: string | null): Promise<MetaDeviceCode> {
    return this.call('start_meta_sign_in', { workspace, appId, clientToken });
  }

  finishMetaSignIn(workspace: string): Promise<MetaChoices> {
    // Waits for the person to approve the code at facebook.com/device.
    return this.call('finish_meta_sign_in', { workspace }, { noTimeout: true });
  }

  addMetaAccounts(workspace: string, choices: string[]): Promise<SignInOutcome[]> {
    // Each account is checked at Meta before it is kept.
    return this.call('add_meta_accounts', { workspace, choices }, { noTimeout: true });
  }

  responseTimes(workspace: string, days: number): Promise<ResponseTimesReport> {
    return this.call('response_times', { workspace, days });
  }

  managedSettings(): Promise<ManagedView> {
    return this.call('managed_settings', {});
  }

  startupSettings(): Promise<StartupView> {
    return this.call('startup_settings', {});
  }

  setStartAtLogin(enabled: boolean): Promise<StartupView> {
    return this.call('set_start_at_login', { enabled });
  }

  lastCrash(): Promise<CrashNotice | null> {
    return this.call('last_crash', {});
  }

  async dismissCrash(): Promise<void> {
    await this.call('dismiss_crash', {});
  }

  async openCrashFolder(): Promise<void> {
    await this.call('open_crash_folder', {});
  }

  checkForUpdate(): Promise<UpdateView> {
    return this.call('check_for_update', {});
  }

  installUpdate(): Promise<UpdateView> {
    // Downloading and checking an update takes as long as the network does.
    return this.call('install_update', {}, { noTimeout: true });
  }
}
