// The backend inside the desktop app: Tauri commands, plus the `workspace://changed`, `workspace://switched` and
// `conversation://open` events.
import { invoke as tauriInvoke } from '@tauri-apps/api/core';
import { listen as tauriListen } from '@tauri-apps/api/event';
import { toBackendError, type Backend } from './backend';
import type {
  AccountView,
  AlertPreferences,
  ConversationSummary,
  DoneReason,
  QueueId,
  QueueSummary,
  ResponseTimesReport,
  SignInOutcome,
  SignInRequest,
  Thread,
  WorkspaceEntry,
  WorkspaceInfo,
} from './bindings';

export const CHANGED_EVENT = 'workspace://changed';
/** Sent when the person clicks "Open" on a notification; the payload is the conversation's id. */
export const OPEN_EVENT = 'conversation://open';
/** Sent when the current workspace changed outside the window (the tray menu). */
export const SWITCHED_EVENT = 'workspace://switched';

/** The two Tauri calls used, injectable so the mapping can be tested without Tauri. */
export interface TauriIpc {
  invoke<T>(command: string, args?: Record<string, unknown>): Promise<T>;
  /** Calls `handler` with each event's payload. */
  listen(event: string, handler: (payload: unknown) => void): Promise<() => void>;
}

const realIpc: TauriIpc = {
  invoke: (command, args) => tauriInvoke(command, args),
  listen: (event, handler) => tauriListen(event, (e) => handler(e.payload)),
};

export class TauriBackend implements Backend {
  constructor(private readonly ipc: TauriIpc = realIpc) {}

  private async call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
    try {
      return await this.ipc.invoke<T>(command, args);
    } catch (reason) {
      throw toBackendError(reason);
    }
  }

  workspace(): Promise<WorkspaceInfo> {
    return this.call('workspace_info');
  }

  queues(): Promise<QueueSummary[]> {
    return this.call('list_queues');
  }

  conversations(queue: QueueId): Promise<ConversationSummary[]> {
    return this.call('list_conversations', { queue });
  }

  thread(conversationId: number): Promise<Thread> {
    return this.call('get_thread', { conversationId });
  }

  claim(conversationId: number): Promise<Thread> {
    return this.call('claim', { conversationId });
  }

  release(conversationId: number): Promise<Thread> {
    return this.call('release', { conversationId });
  }

  reopen(conversationId: number): Promise<Thread> {
    return this.call('reopen', { conversationId });
  }

  handOff(conversationId: number, queue: QueueId, note: string): Promise<Thread> {
    return this.call('hand_off', { conversationId, queue, note });
  }

  addNote(conversationId: number, note: string): Promise<Thread> {
    return this.call('add_note', { conversationId, note });
  }

  markDone(conversationId: number, reason: DoneReason): Promise<Thread> {
    return this.call('mark_done', { conversationId, reason });
  }

  snooze(conversationId: number, minutes: number): Promise<Thread> {
    return this.call('snooze', { conversationId, minutes });
  }

  alertPreferences(): Promise<AlertPreferences> {
    return this.call('alert_preferences');
  }

  setAlertPreferences(preferences: AlertPreferences): Promise<AlertPreferences> {
    return this.call('set_alert_preferences', { preferences });
  }

  pauseAlerts(minutes: number): Promise<AlertPreferences> {
    return this.call('pause_alerts', { minutes });
  }

  sendReply(conversationId: number, text: string): Promise<Thread> {
    return this.call('send_reply', { conversationId, text });
  }

  retryReply(conversationId: number, replyId: number): Promise<Thread> {
    return this.call('retry_reply', { conversationId, replyId });
  }

  workspaces(): Promise<WorkspaceEntry[]> {
    return this.call('list_workspaces');
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

  accounts(): Promise<AccountView[]> {
    return this.call('list_accounts');
  }

  addAccount(request: SignInRequest): Promise<SignInOutcome> {
    return this.call('add_account', { request });
  }

  cancelSignIn(): Promise<void> {
    return this.call('cancel_sign_in');
  }

  confirmAccount(pending: string, confirm: boolean): Promise<AccountView | null> {
    return this.call('confirm_account', { pending, confirm });
  }

  removeAccount(key: string): Promise<AccountView[]> {
    return this.call('remove_account', { key });
  }

  responseTimes(days: number): Promise<ResponseTimesReport> {
    return this.call('response_times', { days });
  }

  onWorkspaceSwitched(callback: () => void): () => void {
    return this.subscribe(SWITCHED_EVENT, () => callback(), 'following workspace switches from the tray is off');
  }

  onChange(callback: () => void): () => void {
    return this.subscribe(CHANGED_EVENT, () => callback(), 'live updates are off');
  }

  onOpenConversation(callback: (conversationId: number) => void): () => void {
    return this.subscribe(
      OPEN_EVENT,
      (payload) => {
        if (typeof payload === 'number' && Number.isSafeInteger(payload)) callback(payload);
        else console.warn('Switchboard: ignored a request to open conversation', payload);
      },
      'opening conversations from notifications is off',
    );
  }

  /** Listens to a Tauri event until the returned function is called (even before listening finished). */
  private subscribe(event: string, handler: (payload: unknown) => void, failure: string): () => void {
    let unlisten: (() => void) | null = null;
    let stopped = false;
    this.ipc
      .listen(event, (payload) => {
        if (!stopped) handler(payload);
      })
      .then((stop) => {
        if (stopped) stop();
        else unlisten = stop;
      })
      .catch((reason: unknown) => {
        console.warn(`Switchboard: ${failure}:`, reason);
      });
    return () => {
      stopped = true;
      unlisten?.();
      unlisten = null;
    };
  }
}
