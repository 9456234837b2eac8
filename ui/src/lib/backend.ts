// The one interface the window talks to, and the one error class every backend failure becomes.
import type {
  AccountView,
  Activity,
  AlertPreferences,
  ConversationSummary,
  CrashNotice,
  DoneReason,
  ErrorCode,
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

/**
 * What the window asks of one workspace: the open workspace's data and the actions on it. Every call names the
 * workspace it was made for (see `forWorkspace`), so an answer or an action never lands in another workspace
 * after a switch: the backend refuses it with `workspace_changed`.
 */
export interface WorkspaceBackend {
  /** The workspace open now; fails with `no_workspace` when there is none yet. */
  workspace(): Promise<WorkspaceInfo>;
  /** The sidebar, in display order. */
  queues(): Promise<QueueSummary[]>;
  /** Already sorted by the backend. */
  conversations(queue: QueueId): Promise<ConversationSummary[]>;
  thread(conversationId: number): Promise<Thread>;

  // Actions on one conversation. Each resolves with the conversation as it now stands.
  claim(conversationId: number): Promise<Thread>;
  release(conversationId: number): Promise<Thread>;
  reopen(conversationId: number): Promise<Thread>;
  /**
   * Moves it to another queue with a note for the next person (the note is required); in a team, `toMember` (a
   * member's id) hands it to that teammate, who is notified.
   */
  handOff(conversationId: number, queue: QueueId, note: string, toMember?: string | null): Promise<Thread>;
  addNote(conversationId: number, note: string): Promise<Thread>;
  /**
   * A lead hides an item (a Facebook or Instagram comment) from the public with a reason (logged), or (`hidden`
   * false) shows it again. Nothing is deleted.
   */
  setItemHidden(conversationId: number, itemId: number, hidden: boolean, reason: string): Promise<Thread>;
  markDone(conversationId: number, reason: DoneReason): Promise<Thread>;
  /** Pauses its response clock for `minutes`. */
  snooze(conversationId: number, minutes: number): Promise<Thread>;

  // The person's desktop notifications.
  alertPreferences(): Promise<AlertPreferences>;
  /** Saves them (`person`, `lead_of` and `time_zone` are read-only); resolves with what is now stored. */
  setAlertPreferences(preferences: AlertPreferences): Promise<AlertPreferences>;
  /** Pauses notifications for `minutes`; 0 resumes them. */
  pauseAlerts(minutes: number): Promise<AlertPreferences>;

  // Replying from Switchboard. Each resolves with the conversation as it now stands (the reply in `outgoing`).
  /**
   * `idempotencyKey` is minted once per reply written (`newReplyKey`) and sent with every attempt to send it:
   * a resend after a lost answer queues nothing new.
   */
  sendReply(conversationId: number, text: string, idempotencyKey: string, check?: CollisionCheck): Promise<Thread>;
  retryReply(conversationId: number, replyId: number): Promise<Thread>;
  /**
   * A lead approves a trainee's reply (`approval` from its outgoing reply), edited when `text` is given. Guardrail
   * findings the trainee did not confirm for the same words refuse it with `guardrail` until their rules are in
   * `confirmedRules`.
   */
  approveReply(conversationId: number, approval: string, text: string | null, confirmedRules?: string[] | null): Promise<Thread>;
  /** A lead rejects a trainee's reply with a reason; it is never posted. */
  rejectReply(conversationId: number, approval: string, reason: string): Promise<Thread>;

  // Guardrails and saved replies (issue 18).
  /** What the guardrails find in `text` as a reply to this conversation (spans in UTF-16 code units). */
  checkReply(conversationId: number, text: string): Promise<GuardrailFinding[]>;
  /** The workspace's saved replies, archived ones too (marked). */
  savedReplies(): Promise<SavedReply[]>;
  /** Creates (`draft.id` null) or changes a saved reply; resolves with it. */
  saveSavedReply(draft: SavedReplyDraft): Promise<SavedReply>;
  /** Archives (or restores, `archived` false) a saved reply; resolves with all of them. */
  archiveSavedReply(id: string, archived: boolean): Promise<SavedReply[]>;
  /** Saved reply `id` filled in for this conversation, with the placeholders answered so far. */
  fillSavedReply(conversationId: number, id: string, answers: PlaceholderAnswer[]): Promise<FilledReply>;

  // The team of a team workspace.
  /** The team, its members and the link's state; null for a workspace that is not a team's. */
  teamView(): Promise<TeamView | null>;
  /** Tells teammates what this person is doing on a conversation (null, null: nothing). Expires by itself. */
  setPresence(conversationId: number | null, activity: Activity | null): Promise<void>;

  // The workspace's brand accounts.
  accounts(): Promise<AccountView[]>;
  /** Signs an account in; for Mastodon it resolves only once the person answered in the browser (minutes). */
  addAccount(request: SignInRequest): Promise<SignInOutcome>;
  /** Stops the sign-in waiting for the browser; `addAccount` then rejects. */
  cancelSignIn(): Promise<void>;
  /** Answers a `needs_confirmation` outcome: resolves with the account when confirmed, null when declined. */
  confirmAccount(pending: string, confirm: boolean): Promise<AccountView | null>;
  /** Signs it out, revokes its token where the platform allows, and deletes its keychain entry. */
  removeAccount(key: string): Promise<AccountView[]>;

  // Facebook Pages and Instagram (one Meta sign-in, Facebook Login for Devices).
  /** The Meta app this workspace signs in with (the client token itself never reaches the window). */
  metaAppSetup(): Promise<MetaAppSetup>;
  /** Starts a device login: the code to show. App ID and client token only when the workspace has none yet. */
  startMetaSignIn(appId: string | null, clientToken: string | null): Promise<MetaDeviceCode>;
  /** Waits until the code is approved (minutes; `cancelSignIn` stops it), then lists the Pages and Instagram accounts and what was left out. */
  finishMetaSignIn(): Promise<MetaChoices>;
  /** Adds the chosen Pages and Instagram accounts (their `choice`s), each as `addAccount` would. */
  addMetaAccounts(choices: string[]): Promise<SignInOutcome[]>;

  // For team leads.
  /** How fast the brand answered, per queue, over the last `days` days (1–90, today included). */
  responseTimes(days: number): Promise<ResponseTimesReport>;
}

/**
 * What a reply is checked against: in a team, the thread's `version` when the person opened it and whether they
 * already answered "send anyway" to a collision; and the guardrail rules whose warnings they confirmed.
 */
export interface CollisionCheck {
  seenVersion: number | null;
  sendAnyway: boolean;
  /** The rules of the warnings the person chose to send anyway (null or absent: none). */
  confirmedRules?: string[] | null;
}

/** The calls of `WorkspaceBackend` that name their workspace (all but `workspace`). */
type ScopedCalls = Exclude<keyof WorkspaceBackend, 'workspace'>;

/** A call of `WorkspaceBackend` with the workspace it is for as its first argument. */
type NamingWorkspace<F> = F extends (...args: infer A) => infer R ? (workspace: string, ...args: A) => R : never;

/**
 * The one interface the window talks to: the workspaces, the calls of one workspace (each naming it first), and
 * the events. The window reaches one workspace through `forWorkspace`.
 */
export type Backend = { [K in ScopedCalls]: NamingWorkspace<WorkspaceBackend[K]> } & {
  /** The workspace open now; fails with `no_workspace` when there is none yet. */
  workspace(): Promise<WorkspaceInfo>;
  /** Calls back when the workspace changed; returns the unsubscribe function. */
  onChange(callback: () => void): () => void;
  /** Calls back when the person asks to open a conversation from outside the window (an OS notification's "Open"). */
  onOpenConversation(callback: (conversationId: number) => void): () => void;

  // Work profiles (workspaces): each has its own conversations, log, policy and sign-ins.
  workspaces(): Promise<WorkspaceEntry[]>;
  /** Creates one; it becomes the current one. */
  createWorkspace(name: string): Promise<WorkspaceEntry>;
  renameWorkspace(id: string, name: string): Promise<WorkspaceEntry[]>;
  switchWorkspace(id: string): Promise<WorkspaceInfo>;
  /** Writes its event log as JSONL to the Downloads folder; resolves with the file's absolute path. */
  exportWorkspaceLog(id: string): Promise<string>;
  /** Signs out its accounts, deletes its keychain entries and its data; if it was current, another opens (or none). */
  removeWorkspace(id: string): Promise<WorkspaceEntry[]>;
  /** Calls back when the current workspace changed outside this window (the tray menu…). */
  onWorkspaceSwitched(callback: () => void): () => void;
  /** What a team's join code leads to, checked against the team database, before joining. */
  previewJoin(code: string): Promise<JoinPreview>;
  /** Joins the team of `code` as a new workspace `name` and opens it (the code goes to the keychain only). */
  joinTeam(name: string, code: string): Promise<WorkspaceEntry>;

  // Switchboard as installed on a work laptop (none of these name a workspace).
  /** The settings the organisation enforces (unmanaged: nothing locked). */
  managedSettings(): Promise<ManagedView>;
  /** Whether Switchboard starts when the person logs in, and whether they were asked once. */
  startupSettings(): Promise<StartupView>;
  /** Turns starting at login on or off (answering the first run's question too). */
  setStartAtLogin(enabled: boolean): Promise<StartupView>;
  /** The crash of the last run, until dismissed; null when it ended normally. */
  lastCrash(): Promise<CrashNotice | null>;
  /** Forgets the last crash's notice (the report stays on disk). */
  dismissCrash(): Promise<void>;
  /** Opens the folder with the crash reports in the file manager. */
  openCrashFolder(): Promise<void>;
  /** Looks for a signed update where the managed settings say (none by default). */
  checkForUpdate(): Promise<UpdateView>;
  /** Installs the update found, when its signature checks out; resolves with what happened. */
  installUpdate(): Promise<UpdateView>;
};

/** The calls of workspace `workspace`: each names it, so the backend refuses them once another one is open. */
export function forWorkspace(backend: Backend, workspace: string): WorkspaceBackend {
  return {
    workspace: () => backend.workspace(),
    queues: () => backend.queues(workspace),
    conversations: (queue) => backend.conversations(workspace, queue),
    thread: (id) => backend.thread(workspace, id),
    claim: (id) => backend.claim(workspace, id),
    release: (id) => backend.release(workspace, id),
    reopen: (id) => backend.reopen(workspace, id),
    handOff: (id, queue, note, toMember) => backend.handOff(workspace, id, queue, note, toMember),
    addNote: (id, note) => backend.addNote(workspace, id, note),
    setItemHidden: (id, itemId, hidden, reason) => backend.setItemHidden(workspace, id, itemId, hidden, reason),
    markDone: (id, reason) => backend.markDone(workspace, id, reason),
    snooze: (id, minutes) => backend.snooze(workspace, id, minutes),
    alertPreferences: () => backend.alertPreferences(workspace),
    setAlertPreferences: (preferences) => backend.setAlertPreferences(workspace, preferences),
    pauseAlerts: (minutes) => backend.pauseAlerts(workspace, minutes),
    sendReply: (id, text, key, check) => backend.sendReply(workspace, id, text, key, check),
    retryReply: (id, replyId) => backend.retryReply(workspace, id, replyId),
    approveReply: (id, approval, text, confirmedRules) =>
      backend.approveReply(workspace, id, approval, text, confirmedRules ?? null),
    rejectReply: (id, approval, reason) => backend.rejectReply(workspace, id, approval, reason),
    checkReply: (id, text) => backend.checkReply(workspace, id, text),
    savedReplies: () => backend.savedReplies(workspace),
    saveSavedReply: (draft) => backend.saveSavedReply(workspace, draft),
    archiveSavedReply: (id, archived) => backend.archiveSavedReply(workspace, id, archived),
    fillSavedReply: (id, saved, answers) => backend.fillSavedReply(workspace, id, saved, answers),
    teamView: () => backend.teamView(workspace),
    setPresence: (id, activity) => backend.setPresence(workspace, id, activity),
    accounts: () => backend.accounts(workspace),
    addAccount: (request) => backend.addAccount(workspace, request),
    cancelSignIn: () => backend.cancelSignIn(workspace),
    confirmAccount: (pending, confirm) => backend.confirmAccount(workspace, pending, confirm),
    removeAccount: (key) => backend.removeAccount(workspace, key),
    metaAppSetup: () => backend.metaAppSetup(workspace),
    startMetaSignIn: (appId, clientToken) => backend.startMetaSignIn(workspace, appId, clientToken),
    finishMetaSignIn: () => backend.finishMetaSignIn(workspace),
    addMetaAccounts: (choices) => backend.addMetaAccounts(workspace, choices),
    responseTimes: (days) => backend.responseTimes(workspace, days),
  };
}

/** The backend's own codes, plus the failures only the window can see. */
export type BackendErrorCode = ErrorCode | 'unreachable' | 'unauthorized';

/** Every code the window knows; a Record, so a code added to the backend fails the type check until listed. */
const KNOWN_CODES: Readonly<Record<BackendErrorCode, true>> = {
  not_found: true,
  invalid_input: true,
  storage: true,
  internal: true,
  no_workspace: true,
  keychain: true,
  not_allowed: true,
  platform: true,
  sign_in_again: true,
  unreachable: true,
  unauthorized: true,
  workspace_changed: true,
  collision: true,
  guardrail: true,
  window_closed: true,
};

export const UNREACHABLE_MESSAGE =
  "Switchboard's backend is not responding. Check that it is still running, then try again.";

const UNKNOWN_MESSAGE = 'Something went wrong in Switchboard. Try again; if it keeps happening, restart the app.';

export class BackendError extends Error {
  readonly code: BackendErrorCode;

  constructor(code: BackendErrorCode, message: string) {
    super(message);
    this.name = 'BackendError';
    this.code = code;
  }
}

/** Whether a value has the shape of the backend's `ApiError` ({code, message}). */
export function isApiErrorLike(value: unknown): value is { code: string; message: string } {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { code?: unknown }).code === 'string' &&
    typeof (value as { message?: unknown }).message === 'string'
  );
}

function knownCode(code: string): BackendErrorCode {
  return Object.prototype.hasOwnProperty.call(KNOWN_CODES, code) ? (code as BackendErrorCode) : 'internal';
}

/** Turns anything a backend call threw or rejected with into a `BackendError`. */
export function toBackendError(reason: unknown): BackendError {
  if (reason instanceof BackendError) return reason;
  if (isApiErrorLike(reason)) {
    const message = reason.message.trim() || UNKNOWN_MESSAGE;
    return new BackendError(knownCode(reason.code), message);
  }
  // Tauri rejects with a bare string when the failure happens before the command runs.
  if (typeof reason === 'string' && reason.trim() !== '') {
    return new BackendError('internal', reason);
  }
  return new BackendError('internal', UNKNOWN_MESSAGE);
}
