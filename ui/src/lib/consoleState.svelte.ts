// What the window shows and how it loads: queues, the selected queue's list, the open thread.
// Loads that the person asked for show "Loading…"; live refreshes keep the current data on screen.
// Actions on the open conversation replace it with the backend's answer, then refresh the queues and list.
import { isReplyAction, runAction, type ActionType, type ConversationAction } from './actions';
import { toBackendError, type WorkspaceBackend, type BackendError } from './backend';
import type { ConversationSummary, DoneReason, QueueId, QueueSummary, Thread, WorkspaceInfo } from './bindings';
import { moveIndex } from './keyboard';

export type LoadState =
  | { status: 'idle' }
  | { status: 'loading' }
  | { status: 'ready' }
  | { status: 'error'; error: BackendError };

const IDLE: LoadState = { status: 'idle' };
const LOADING: LoadState = { status: 'loading' };
const READY: LoadState = { status: 'ready' };

/** A conversation just marked done, which the person can still take back. */
export interface DoneNotice {
  conversationId: number;
  customerName: string;
  reason: DoneReason;
}

export class ConsoleState {
  workspace = $state.raw<WorkspaceInfo | null>(null);
  queues = $state.raw<QueueSummary[]>([]);
  queuesLoad = $state.raw<LoadState>(IDLE);

  selectedQueueId = $state<QueueId | null>(null);
  conversations = $state.raw<ConversationSummary[]>([]);
  listLoad = $state.raw<LoadState>(IDLE);

  selectedConversationId = $state<number | null>(null);
  thread = $state.raw<Thread | null>(null);
  threadLoad = $state.raw<LoadState>(IDLE);

  /** A live refresh that failed while older data stays on screen. */
  refreshError = $state.raw<BackendError | null>(null);

  /** The action running now (one at a time), and the conversation it is for. */
  pendingAction = $state.raw<{ conversationId: number; type: ActionType } | null>(null);
  /** The last action that failed, shown with the conversation it was for. */
  actionError = $state.raw<{ conversationId: number; type: ActionType; error: BackendError } | null>(null);
  /** The last conversation marked done, for "Undo". */
  doneNotice = $state.raw<DoneNotice | null>(null);

  /**
   * The version of the open conversation when the person opened it (captured again each time they open it): the
   * reply box sends it so a teammate's reply or claim since then is pointed out before the reply goes.
   */
  private seen = $state.raw<{ conversationId: number; version: number } | null>(null);

  /** The queues to start on, in order of preference (the person's own queues in a team); else the first. */
  preferredQueues: readonly QueueId[] = [];

  selectedQueue = $derived(this.queues.find((q) => q.queue.id === this.selectedQueueId)?.queue ?? null);

  /** A conversation asked for (from a notification) before the queues were loaded; opened once they are. */
  private pendingOpen: number | null = null;

  // Each load remembers its number; an answer that arrives after a newer request is dropped.
  private queuesSeq = 0;
  private workspaceSeq = 0;
  private listSeq = 0;
  private threadSeq = 0;

  constructor(private readonly backend: WorkspaceBackend) {}

  /** First load: the workspace, its queues, and the first queue's list. */
  async start(): Promise<void> {
    const seq = ++this.queuesSeq;
    this.workspaceSeq++;
    this.queuesLoad = LOADING;
    try {
      const [workspace, queues] = await Promise.all([this.backend.workspace(), this.backend.queues()]);
      if (seq !== this.queuesSeq) return;
      this.workspace = workspace;
      this.applyQueues(queues);
      this.queuesLoad = READY;
    } catch (reason) {
      if (seq === this.queuesSeq) this.queuesLoad = { status: 'error', error: toBackendError(reason) };
      return;
    }
    const open = this.pendingOpen;
    this.pendingOpen = null;
    if (open !== null) await this.openConversation(open);
    else if (this.selectedQueueId !== null) await this.loadList(true);
  }

  /**
   * Opens a conversation wherever it is (asked from a notification): selects its queue, so the list shows it
   * selected, and opens its thread. A conversation that is gone says so in the thread pane.
   */
  async openConversation(id: number): Promise<void> {
    if (this.queuesLoad.status !== 'ready') {
      this.pendingOpen = id;
      if (this.queuesLoad.status !== 'loading') await this.start();
      return;
    }
    const seq = ++this.threadSeq;
    if (id !== this.selectedConversationId) this.thread = null;
    this.selectedConversationId = id;
    this.threadLoad = LOADING;
    let thread: Thread;
    try {
      thread = await this.backend.thread(id);
    } catch (reason) {
      if (seq === this.threadSeq) this.threadLoad = { status: 'error', error: toBackendError(reason) };
      return;
    }
    if (seq !== this.threadSeq) return;
    this.thread = thread;
    this.threadLoad = READY;
    this.rememberSeen(thread);

    const queue = thread.conversation.queue;
    const known = this.queues.some((q) => q.queue.id === queue);
    if (known && queue !== this.selectedQueueId) {
      this.selectedQueueId = queue;
      this.doneNotice = null;
      this.conversations = [];
      await this.loadList(true);
    } else {
      // Same queue (or one the sidebar does not list): the list may not have the conversation yet.
      const failure = await this.loadList(false);
      if (failure !== null) this.refreshError = failure;
    }
  }

  async selectQueue(id: QueueId): Promise<void> {
    if (id === this.selectedQueueId && this.listLoad.status !== 'error') return;
    this.selectedQueueId = id;
    this.doneNotice = null;
    this.conversations = [];
    this.closeThread();
    await this.loadList(true);
  }

  async selectQueueAt(index: number): Promise<void> {
    const summary = this.queues[index];
    if (summary) await this.selectQueue(summary.queue.id);
  }

  async selectConversation(id: number): Promise<void> {
    if (id === this.selectedConversationId && this.threadLoad.status !== 'error') return;
    if (id !== this.selectedConversationId) this.thread = null;
    this.selectedConversationId = id;
    await this.loadThread(true);
  }

  /** Moves the selection one row down (1) or up (-1) and opens it. */
  async moveSelection(delta: 1 | -1): Promise<void> {
    const current = this.conversations.findIndex((c) => c.id === this.selectedConversationId);
    const next = moveIndex(current, delta, this.conversations.length);
    const target = this.conversations[next];
    if (target && target.id !== this.selectedConversationId) await this.selectConversation(target.id);
  }

  /** Live refresh after a change: everything on screen, without "Loading…" or losing the selection. */
  async refresh(): Promise<void> {
    if (this.queuesLoad.status !== 'ready') return this.start();
    const failures = await Promise.all([
      this.refreshWorkspace(),
      this.refreshQueues(),
      this.loadList(false),
      this.loadThread(false),
    ]);
    this.refreshError = failures.find((f) => f !== null) ?? null;
  }

  /**
   * Runs an action on a conversation (the open one unless told otherwise), one at a time.
   * On success the open thread becomes the backend's answer and the queues and list refresh;
   * a conversation marked done leaves the list and the next one opens. On failure the error
   * is kept for that conversation and false is returned, so forms keep what was typed.
   */
  async perform(
    action: ConversationAction,
    conversationId: number | null = this.selectedConversationId,
    options: { open?: boolean } = {},
  ): Promise<boolean> {
    if (conversationId === null || this.pendingAction !== null) return false;
    this.pendingAction = { conversationId, type: action.type };
    this.actionError = null;
    try {
      let thread: Thread;
      try {
        thread = await runAction(this.backend, conversationId, action);
      } catch (reason) {
        this.actionError = { conversationId, type: action.type, error: toBackendError(reason) };
        return false;
      }
      if (options.open && this.selectedConversationId !== conversationId) {
        this.threadSeq++;
        this.selectedConversationId = conversationId;
        this.rememberSeen(thread);
      }
      if (this.selectedConversationId === conversationId) {
        this.threadSeq++; // an older load still on its way must not replace this answer
        this.thread = thread;
        this.threadLoad = READY;
      }
      if (action.type === 'mark_done') {
        this.doneNotice = {
          conversationId,
          customerName: thread.conversation.customer.display_name,
          reason: action.reason,
        };
        await this.leaveDone(conversationId);
      } else {
        if (this.doneNotice?.conversationId === conversationId || action.type === 'reopen') this.doneNotice = null;
        await this.refreshAfterAction();
      }
      return true;
    } finally {
      this.pendingAction = null;
    }
  }

  /** Takes back the last "mark done": reopens that conversation and opens it. */
  async undoDone(): Promise<boolean> {
    const notice = this.doneNotice;
    if (notice === null) return false;
    return this.perform({ type: 'reopen' }, notice.conversationId, { open: true });
  }

  dismissDoneNotice(): void {
    this.doneNotice = null;
  }

  /** Forgets the last failed action of this conversation (the person answered it: "Cancel" on a collision). */
  dismissActionError(conversationId: number): void {
    if (this.actionError?.conversationId === conversationId) this.actionError = null;
  }

  /** The open conversation's version when the person opened it; null for another conversation. */
  seenVersionFor(conversationId: number | null): number | null {
    const seen = this.seen;
    return seen !== null && seen.conversationId === conversationId ? seen.version : null;
  }

  private rememberSeen(thread: Thread): void {
    // A backend from before team mode sends no version.
    const version = (thread.version as number | undefined) ?? null;
    this.seen = version === null ? null : { conversationId: thread.conversation.id, version };
  }

  /**
   * The error of the last failed action on this conversation, if any: of the actions bar's actions by default,
   * of the reply box's (`reply`) when asked.
   */
  actionErrorFor(conversationId: number | null, area: 'actions' | 'reply' = 'actions'): BackendError | null {
    const failed = this.actionError;
    if (failed === null || failed.conversationId !== conversationId) return null;
    return isReplyAction(failed.type) === (area === 'reply') ? failed.error : null;
  }

  /** The action running on this conversation, if any. */
  pendingFor(conversationId: number | null): ActionType | null {
    return this.pendingAction !== null && this.pendingAction.conversationId === conversationId
      ? this.pendingAction.type
      : null;
  }

  /** After "mark done": the conversation leaves the list, and the one after it (or before, at the end) opens. */
  private async leaveDone(conversationId: number): Promise<void> {
    const index = this.conversations.findIndex((c) => c.id === conversationId);
    this.conversations = this.conversations.filter((c) => c.id !== conversationId);
    await this.refreshAfterAction();
    if (this.selectedConversationId !== conversationId) return;
    if (this.conversations.some((c) => c.id === conversationId)) return;
    const next = this.conversations[Math.min(Math.max(index, 0), this.conversations.length - 1)];
    if (next) await this.selectConversation(next.id);
    else this.closeThread();
  }

  /** The quiet refresh an action triggers: the sidebar counts and the list. */
  private async refreshAfterAction(): Promise<void> {
    const failures = await Promise.all([this.refreshQueues(), this.loadList(false)]);
    this.refreshError = failures.find((f) => f !== null) ?? null;
  }

  /** Tries again whatever failed. */
  async retry(): Promise<void> {
    if (this.queuesLoad.status === 'error' || this.queuesLoad.status === 'idle') return this.start();
    if (this.listLoad.status === 'error') await this.loadList(true);
    if (this.threadLoad.status === 'error') await this.loadThread(true);
    if (this.refreshError !== null) await this.refresh();
  }

  private closeThread(): void {
    this.threadSeq++;
    this.seen = null;
    this.selectedConversationId = null;
    this.thread = null;
    this.threadLoad = IDLE;
  }

  private applyQueues(queues: QueueSummary[]): void {
    this.queues = queues;
    const stillThere = queues.some((q) => q.queue.id === this.selectedQueueId);
    if (!stillThere) {
      const preferred = this.preferredQueues.find((id) => queues.some((q) => q.queue.id === id));
      this.selectedQueueId = preferred ?? queues[0]?.queue.id ?? null;
      this.conversations = [];
      this.closeThread();
    }
  }

  /** The workspace info, which carries the policy file's error; the banner follows it. */
  private async refreshWorkspace(): Promise<BackendError | null> {
    const seq = ++this.workspaceSeq;
    try {
      const workspace = await this.backend.workspace();
      if (seq === this.workspaceSeq) this.workspace = workspace;
      return null;
    } catch (reason) {
      return seq === this.workspaceSeq ? toBackendError(reason) : null;
    }
  }

  private async refreshQueues(): Promise<BackendError | null> {
    const seq = ++this.queuesSeq;
    const before = this.selectedQueueId;
    try {
      const queues = await this.backend.queues();
      if (seq !== this.queuesSeq) return null;
      this.applyQueues(queues);
      if (this.selectedQueueId !== before && this.selectedQueueId !== null) void this.loadList(true);
      return null;
    } catch (reason) {
      return seq === this.queuesSeq ? toBackendError(reason) : null;
    }
  }

  /** Loads the selected queue's list; a quiet load reports its failure instead of showing it. */
  private async loadList(showLoading: boolean): Promise<BackendError | null> {
    const queue = this.selectedQueueId;
    if (queue === null) return null;
    if (!showLoading && this.listLoad.status !== 'ready') return null;
    const seq = ++this.listSeq;
    if (showLoading) this.listLoad = LOADING;
    try {
      const conversations = await this.backend.conversations(queue);
      if (seq !== this.listSeq) return null;
      this.conversations = conversations;
      this.listLoad = READY;
      return null;
    } catch (reason) {
      if (seq !== this.listSeq) return null;
      const error = toBackendError(reason);
      if (showLoading) this.listLoad = { status: 'error', error };
      return error;
    }
  }

  private async loadThread(showLoading: boolean): Promise<BackendError | null> {
    const id = this.selectedConversationId;
    if (id === null) return null;
    if (!showLoading && this.threadLoad.status !== 'ready') return null;
    const seq = ++this.threadSeq;
    if (showLoading) this.threadLoad = LOADING;
    try {
      const thread = await this.backend.thread(id);
      if (seq !== this.threadSeq) return null;
      this.thread = thread;
      this.threadLoad = READY;
      if (showLoading) this.rememberSeen(thread);
      return null;
    } catch (reason) {
      if (seq !== this.threadSeq) return null;
      const error = toBackendError(reason);
      // A conversation that is gone says so in its own pane, even during a live refresh.
      if (showLoading || error.code === 'not_found') {
        this.threadLoad = { status: 'error', error };
        return showLoading ? error : null;
      }
      return error;
    }
  }
}
