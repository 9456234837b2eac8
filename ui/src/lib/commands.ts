// Generated from crates/engine/src/commands/list.rs by `typescript_commands()`.
// Do not edit: run `UPDATE_BINDINGS=1 cargo test -p switchboard-engine --lib commands`.
import type { AccountView, Activity, AlertPreferences, ConversationSummary, CrashNotice, DoneReason, FilledReply, GuardrailFinding, JoinPreview, ManagedView, MetaAppSetup, MetaChoices, MetaDeviceCode, PlaceholderAnswer, QueueId, QueueSummary, ResponseTimesReport, SavedReply, SavedReplyDraft, SignInOutcome, SignInRequest, StartupView, TeamView, Thread, UpdateView, WorkspaceEntry, WorkspaceInfo } from './bindings';

/** Every command of the shell: the arguments the window sends (camelCase) and the answer. */
export interface Commands {
  /** The workspace open now, with the state of its policy file. */
  workspace_info: { args: Record<string, never>; returns: WorkspaceInfo };
  /** The sidebar: every queue with its counts, in display order. */
  list_queues: { args: { workspace: string }; returns: QueueSummary[] };
  /** How fast the brand answered, per queue and day, over the last `days` days (1 to 90). */
  response_times: { args: { workspace: string; days: number }; returns: ResponseTimesReport };
  /** The conversations of a queue, waiting ones first. */
  list_conversations: { args: { workspace: string; queue: QueueId }; returns: ConversationSummary[] };
  /** One conversation with its items, history and outgoing replies. */
  get_thread: { args: { workspace: string; conversationId: number }; returns: Thread };
  /** Takes a conversation (claims it for this person). */
  claim: { args: { workspace: string; conversationId: number }; returns: Thread };
  /** Gives a claimed conversation back to its queue. */
  release: { args: { workspace: string; conversationId: number }; returns: Thread };
  /** Moves a conversation to another queue with a note for the next person, and in a team optionally to one teammate (`to_member`, their id), who is notified. */
  hand_off: { args: { workspace: string; conversationId: number; queue: QueueId; note: string; toMember: string | null }; returns: Thread };
  /** Adds an internal note. */
  add_note: { args: { workspace: string; conversationId: number; note: string }; returns: Thread };
  /** A lead hides an item (a Facebook or Instagram comment) of a conversation from the public, with a reason (logged), or (`hidden` false) shows it again. Nothing is deleted. */
  set_item_hidden: { args: { workspace: string; conversationId: number; itemId: number; hidden: boolean; reason: string }; returns: Thread };
  /** Marks a conversation done, with why. */
  mark_done: { args: { workspace: string; conversationId: number; reason: DoneReason }; returns: Thread };
  /** Opens a done conversation again. */
  reopen: { args: { workspace: string; conversationId: number }; returns: Thread };
  /** Pauses a conversation's response clock for `minutes`. */
  snooze: { args: { workspace: string; conversationId: number; minutes: number }; returns: Thread };
  /** Replies to the customer. `idempotency_key` is minted by the window once per reply written: the same key again (a resend after a lost answer) queues nothing new. In a team, `seen_version` is the thread's `version` when the person opened it: a teammate's reply or claim since then (or a live claim of someone else) refuses the send with `collision` until it is sent again with `send_anyway` (logged). Guardrail findings that warn refuse it with `guardrail` until their rules are named in `confirmed_rules` (logged); one the policy blocks always refuses it. */
  send_reply: { args: { workspace: string; conversationId: number; text: string; idempotencyKey: string | null; seenVersion: number | null; sendAnyway: boolean | null; confirmedRules: string[] | null }; returns: Thread };
  /** What the guardrails find in a reply being written to conversation `conversation_id` (checked as the person types, and again at send). */
  check_reply: { args: { workspace: string; conversationId: number; text: string }; returns: GuardrailFinding[] };
  /** The workspace's saved replies (archived ones too, marked). */
  list_saved_replies: { args: { workspace: string }; returns: SavedReply[] };
  /** Creates a saved reply (`draft.id` null) or changes one; answers with it. */
  save_saved_reply: { args: { workspace: string; draft: SavedReplyDraft }; returns: SavedReply };
  /** Archives (or, `archived` false, restores) a saved reply: nothing is deleted. */
  archive_saved_reply: { args: { workspace: string; id: string; archived: boolean }; returns: SavedReply[] };
  /** Saved reply `id` filled in for conversation `conversation_id`: its variables from the conversation and the person, its placeholders from `answers`; says which placeholders are still to ask. */
  fill_saved_reply: { args: { workspace: string; conversationId: number; id: string; answers: PlaceholderAnswer[] }; returns: FilledReply };
  /** A lead approves a trainee's reply (`approval` from the thread's outgoing reply), optionally edited (`text`); this laptop then posts it, once. Guardrail findings the trainee did not confirm for the same words refuse it with `guardrail` until their rules are named in `confirmed_rules` (logged); a blocked one always does. */
  approve_reply: { args: { workspace: string; conversationId: number; approval: string; text: string | null; confirmedRules: string[] | null }; returns: Thread };
  /** A lead rejects a trainee's reply with a reason; it is never posted. */
  reject_reply: { args: { workspace: string; conversationId: number; approval: string; reason: string }; returns: Thread };
  /** In a team workspace: the team, its members and the link's state (`None` for a local workspace). */
  team_view: { args: { workspace: string }; returns: TeamView | null };
  /** Tells teammates what this person is doing on a conversation: viewing or replying, or (`conversation_id` null) nothing. Repeat every few seconds while it lasts: it expires by itself. */
  set_presence: { args: { workspace: string; conversationId: number | null; activity: Activity | null }; returns: null };
  /** Sends a failed reply again. */
  retry_reply: { args: { workspace: string; conversationId: number; replyId: number }; returns: Thread };
  /** The person's notification settings. */
  alert_preferences: { args: { workspace: string }; returns: AlertPreferences };
  /** Saves the person's notification settings; answers with what is now stored. */
  set_alert_preferences: { args: { workspace: string; preferences: AlertPreferences }; returns: AlertPreferences };
  /** Pauses notifications for `minutes`; 0 resumes them. */
  pause_alerts: { args: { workspace: string; minutes: number }; returns: AlertPreferences };
  /** Every workspace, the open one marked. */
  list_workspaces: { args: Record<string, never>; returns: WorkspaceEntry[] };
  /** Creates a workspace and opens it. */
  create_workspace: { args: { name: string }; returns: WorkspaceEntry };
  /** Renames workspace `id`. */
  rename_workspace: { args: { id: string; name: string }; returns: WorkspaceEntry[] };
  /** What a join code leads to (team, server, the person's queues), checked against the team database, before joining. */
  preview_join: { args: { code: string }; returns: JoinPreview };
  /** Joins the team of join code `code` as a new workspace `name` and opens it (the code is kept in the keychain only). */
  join_team: { args: { name: string; code: string }; returns: WorkspaceEntry };
  /** The settings the organisation enforces (what the window shows as locked). */
  managed_settings: { args: Record<string, never>; returns: ManagedView };
  /** Whether Switchboard starts when the person logs in. */
  startup_settings: { args: Record<string, never>; returns: StartupView };
  /** Turns starting at login on or off (the first run asks once). */
  set_start_at_login: { args: { enabled: boolean }; returns: StartupView };
  /** The crash of the last run, if it ended in one (until dismissed). */
  last_crash: { args: Record<string, never>; returns: CrashNotice | null };
  /** Forgets the last crash's notice (the report stays on disk). */
  dismiss_crash: { args: Record<string, never>; returns: null };
  /** Opens the folder with the crash reports. */
  open_crash_folder: { args: Record<string, never>; returns: null };
  /** Looks for a signed update where the managed settings say (none by default). */
  check_for_update: { args: Record<string, never>; returns: UpdateView };
  /** Installs the update found, when its signature checks out. */
  install_update: { args: Record<string, never>; returns: UpdateView };
  /** Closes the open workspace and opens `id`. */
  switch_workspace: { args: { id: string }; returns: WorkspaceInfo };
  /** Writes workspace `id`'s event log as JSON Lines; answers with the file's path. */
  export_workspace_log: { args: { id: string }; returns: string };
  /** Removes workspace `id` (accounts signed out, keychain entries and files deleted). */
  remove_workspace: { args: { id: string }; returns: WorkspaceEntry[] };
  /** The workspace's brand accounts and how each syncs. */
  list_accounts: { args: { workspace: string }; returns: AccountView[] };
  /** Signs a brand account in (a Mastodon sign-in waits for the person in the browser). */
  add_account: { args: { workspace: string; request: SignInRequest }; returns: SignInOutcome };
  /** Stops a sign-in waiting for the browser. */
  cancel_sign_in: { args: { workspace: string }; returns: null };
  /** Answers a sign-in that needs the person's confirmation. */
  confirm_account: { args: { workspace: string; pending: string; confirm: boolean }; returns: AccountView | null };
  /** The Meta app (App ID, client token) this workspace signs in to Facebook Pages and Instagram with, as far as the window needs to know it. */
  meta_app_setup: { args: { workspace: string }; returns: MetaAppSetup };
  /** Starts signing in to Meta with Facebook Login for Devices: the code to show. The `app_id` and `client_token` are needed only when the policy names none (they are then kept on this laptop for the workspace). */
  start_meta_sign_in: { args: { workspace: string; appId: string | null; clientToken: string | null }; returns: MetaDeviceCode };
  /** Waits until the code is approved at facebook.com/device (or `cancel_sign_in`, or the code expires), then lists the Pages and Instagram accounts the person may add, each with the allowlist's verdict, and says which ones Meta's answer left out and why. */
  finish_meta_sign_in: { args: { workspace: string }; returns: MetaChoices };
  /** Adds the chosen Pages and Instagram accounts (their `choice`s) as brand accounts, each as `add_account` would. */
  add_meta_accounts: { args: { workspace: string; choices: string[] }; returns: SignInOutcome[] };
  /** Signs a brand account out and deletes its keychain entry. */
  remove_account: { args: { workspace: string; key: string }; returns: AccountView[] };
}

export type CommandName = keyof Commands;

/** Each command's arguments by name, as the window sends them. */
export const COMMAND_ARGS: Readonly<Record<CommandName, readonly string[]>> = {
  workspace_info: [],
  list_queues: ['workspace'],
  response_times: ['workspace', 'days'],
  list_conversations: ['workspace', 'queue'],
  get_thread: ['workspace', 'conversationId'],
  claim: ['workspace', 'conversationId'],
  release: ['workspace', 'conversationId'],
  hand_off: ['workspace', 'conversationId', 'queue', 'note', 'toMember'],
  add_note: ['workspace', 'conversationId', 'note'],
  set_item_hidden: ['workspace', 'conversationId', 'itemId', 'hidden', 'reason'],
  mark_done: ['workspace', 'conversationId', 'reason'],
  reopen: ['workspace', 'conversationId'],
  snooze: ['workspace', 'conversationId', 'minutes'],
  send_reply: ['workspace', 'conversationId', 'text', 'idempotencyKey', 'seenVersion', 'sendAnyway', 'confirmedRules'],
  check_reply: ['workspace', 'conversationId', 'text'],
  list_saved_replies: ['workspace'],
  save_saved_reply: ['workspace', 'draft'],
  archive_saved_reply: ['workspace', 'id', 'archived'],
  fill_saved_reply: ['workspace', 'conversationId', 'id', 'answers'],
  approve_reply: ['workspace', 'conversationId', 'approval', 'text', 'confirmedRules'],
  reject_reply: ['workspace', 'conversationId', 'approval', 'reason'],
  team_view: ['workspace'],
  set_presence: ['workspace', 'conversationId', 'activity'],
  retry_reply: ['workspace', 'conversationId', 'replyId'],
  alert_preferences: ['workspace'],
  set_alert_preferences: ['workspace', 'preferences'],
  pause_alerts: ['workspace', 'minutes'],
  list_workspaces: [],
  create_workspace: ['name'],
  rename_workspace: ['id', 'name'],
  preview_join: ['code'],
  join_team: ['name', 'code'],
  managed_settings: [],
  startup_settings: [],
  set_start_at_login: ['enabled'],
  last_crash: [],
  dismiss_crash: [],
  open_crash_folder: [],
  check_for_update: [],
  install_update: [],
  switch_workspace: ['id'],
  export_workspace_log: ['id'],
  remove_workspace: ['id'],
  list_accounts: ['workspace'],
  add_account: ['workspace', 'request'],
  cancel_sign_in: ['workspace'],
  confirm_account: ['workspace', 'pending', 'confirm'],
  meta_app_setup: ['workspace'],
  start_meta_sign_in: ['workspace', 'appId', 'clientToken'],
  finish_meta_sign_in: ['workspace'],
  add_meta_accounts: ['workspace', 'choices'],
  remove_account: ['workspace', 'key'],
};

/** Every command's name, in the list's order. */
export const COMMAND_NAMES: readonly CommandName[] = Object.keys(COMMAND_ARGS) as CommandName[];

/** The commands that name their workspace (a `workspace` argument). */
export const WORKSPACE_COMMANDS: readonly CommandName[] = COMMAND_NAMES.filter((name) =>
  COMMAND_ARGS[name].includes('workspace'),
);
