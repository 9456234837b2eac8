// Generated from crates/engine/src/commands/list.rs by `typescript_commands()`.
// Do not edit: run `UPDATE_BINDINGS=1 cargo test -p switchboard-engine --lib commands`.
import type { AccountView, AlertPreferences, ConversationSummary, DoneReason, QueueId, QueueSummary, ResponseTimesReport, SignInOutcome, SignInRequest, Thread, WorkspaceEntry, WorkspaceInfo } from './bindings';

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
  /** Moves a conversation to another queue with a note for the next person. */
  hand_off: { args: { workspace: string; conversationId: number; queue: QueueId; note: string }; returns: Thread };
  /** Adds an internal note. */
  add_note: { args: { workspace: string; conversationId: number; note: string }; returns: Thread };
  /** Marks a conversation done, with why. */
  mark_done: { args: { workspace: string; conversationId: number; reason: DoneReason }; returns: Thread };
  /** Opens a done conversation again. */
  reopen: { args: { workspace: string; conversationId: number }; returns: Thread };
  /** Pauses a conversation's response clock for `minutes`. */
  snooze: { args: { workspace: string; conversationId: number; minutes: number }; returns: Thread };
  /** Replies to the customer. `idempotency_key` is minted by the window once per reply written: the same key again (a resend after a lost answer) queues nothing new. */
  send_reply: { args: { workspace: string; conversationId: number; text: string; idempotencyKey: string | null }; returns: Thread };
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
  hand_off: ['workspace', 'conversationId', 'queue', 'note'],
  add_note: ['workspace', 'conversationId', 'note'],
  mark_done: ['workspace', 'conversationId', 'reason'],
  reopen: ['workspace', 'conversationId'],
  snooze: ['workspace', 'conversationId', 'minutes'],
  send_reply: ['workspace', 'conversationId', 'text', 'idempotencyKey'],
  retry_reply: ['workspace', 'conversationId', 'replyId'],
  alert_preferences: ['workspace'],
  set_alert_preferences: ['workspace', 'preferences'],
  pause_alerts: ['workspace', 'minutes'],
  list_workspaces: [],
  create_workspace: ['name'],
  rename_workspace: ['id', 'name'],
  switch_workspace: ['id'],
  export_workspace_log: ['id'],
  remove_workspace: ['id'],
  list_accounts: ['workspace'],
  add_account: ['workspace', 'request'],
  cancel_sign_in: ['workspace'],
  confirm_account: ['workspace', 'pending', 'confirm'],
  remove_account: ['workspace', 'key'],
};

/** Every command's name, in the list's order. */
export const COMMAND_NAMES: readonly CommandName[] = Object.keys(COMMAND_ARGS) as CommandName[];

/** The commands that name their workspace (a `workspace` argument). */
export const WORKSPACE_COMMANDS: readonly CommandName[] = COMMAND_NAMES.filter((name) =>
  COMMAND_ARGS[name].includes('workspace'),
);
