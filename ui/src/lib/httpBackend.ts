// The dev/test bridge backend: JSON over HTTP on the loopback address, with a bearer token.
import { BackendError, isApiErrorLike, toBackendError, UNREACHABLE_MESSAGE, type Backend } from './backend';
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

export const POLL_INTERVAL_MS = 1000;
export const REQUEST_TIMEOUT_MS = 10_000;

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface HttpBackendOptions {
  fetch?: FetchLike;
  pollIntervalMs?: number;
  requestTimeoutMs?: number;
}

export class HttpBackend implements Backend {
  private readonly baseUrl: string;
  private readonly fetchImpl: FetchLike;
  private readonly pollIntervalMs: number;
  private readonly requestTimeoutMs: number;

  constructor(
    baseUrl: string,
    private readonly token: string,
    options: HttpBackendOptions = {},
  ) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
    this.fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.pollIntervalMs = options.pollIntervalMs ?? POLL_INTERVAL_MS;
    this.requestTimeoutMs = options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS;
  }

  workspace(): Promise<WorkspaceInfo> {
    return this.get('/api/workspace');
  }

  queues(): Promise<QueueSummary[]> {
    return this.get('/api/queues');
  }

  conversations(queue: QueueId): Promise<ConversationSummary[]> {
    return this.get(`/api/queues/${encodeURIComponent(queue)}/conversations`);
  }

  thread(conversationId: number): Promise<Thread> {
    return this.get(`/api/conversations/${encodeURIComponent(String(conversationId))}`);
  }

  claim(conversationId: number): Promise<Thread> {
    return this.act(conversationId, 'claim', {});
  }

  release(conversationId: number): Promise<Thread> {
    return this.act(conversationId, 'release', {});
  }

  reopen(conversationId: number): Promise<Thread> {
    return this.act(conversationId, 'reopen', {});
  }

  handOff(conversationId: number, queue: QueueId, note: string): Promise<Thread> {
    return this.act(conversationId, 'hand_off', { queue, note });
  }

  addNote(conversationId: number, note: string): Promise<Thread> {
    return this.act(conversationId, 'add_note', { note });
  }

  markDone(conversationId: number, reason: DoneReason): Promise<Thread> {
    return this.act(conversationId, 'mark_done', { reason });
  }

  snooze(conversationId: number, minutes: number): Promise<Thread> {
    return this.act(conversationId, 'snooze', { minutes });
  }

  alertPreferences(): Promise<AlertPreferences> {
    return this.get('/api/alerts');
  }

  setAlertPreferences(preferences: AlertPreferences): Promise<AlertPreferences> {
    return this.request('PUT', '/api/alerts', preferences);
  }

  pauseAlerts(minutes: number): Promise<AlertPreferences> {
    return this.request('POST', '/api/alerts/pause', { minutes });
  }

  sendReply(conversationId: number, text: string): Promise<Thread> {
    return this.act(conversationId, 'reply', { text });
  }

  retryReply(conversationId: number, replyId: number): Promise<Thread> {
    const path = `/api/conversations/${encodeURIComponent(String(conversationId))}/replies/${encodeURIComponent(String(replyId))}/retry`;
    return this.request('POST', path, {});
  }

  workspaces(): Promise<WorkspaceEntry[]> {
    return this.get('/api/workspaces');
  }

  createWorkspace(name: string): Promise<WorkspaceEntry> {
    return this.request('POST', '/api/workspaces', { name });
  }

  renameWorkspace(id: string, name: string): Promise<WorkspaceEntry[]> {
    return this.request('PUT', workspacePath(id), { name });
  }

  switchWorkspace(id: string): Promise<WorkspaceInfo> {
    return this.request('POST', `${workspacePath(id)}/switch`, {});
  }

  exportWorkspaceLog(id: string): Promise<string> {
    return this.request('POST', `${workspacePath(id)}/export`, {});
  }

  removeWorkspace(id: string): Promise<WorkspaceEntry[]> {
    return this.request('DELETE', workspacePath(id));
  }

  accounts(): Promise<AccountView[]> {
    return this.get('/api/accounts');
  }

  addAccount(request: SignInRequest): Promise<SignInOutcome> {
    // A Mastodon sign-in waits for the person in the browser: no timeout.
    return this.request('POST', '/api/accounts', request, { timeout: false });
  }

  async cancelSignIn(): Promise<void> {
    await this.request('POST', '/api/accounts/cancel', {}, { emptyAnswer: true });
  }

  confirmAccount(pending: string, confirm: boolean): Promise<AccountView | null> {
    return this.request('POST', '/api/accounts/confirm', { pending, confirm });
  }

  removeAccount(key: string): Promise<AccountView[]> {
    return this.request('DELETE', `/api/accounts/${encodeURIComponent(key)}`);
  }

  responseTimes(days: number): Promise<ResponseTimesReport> {
    return this.get(`/api/response-times?days=${encodeURIComponent(String(days))}`);
  }

  /**
   * The bridge has no events: polls `/api/workspace` and calls back when the open workspace's id differs from
   * the last one seen (a workspace opening where there was none counts; having none is id `null`).
   */
  onWorkspaceSwitched(callback: () => void): () => void {
    let lastId: string | null | undefined;
    return this.poll(async () => {
      let id: string | null;
      try {
        id = (await this.get<WorkspaceInfo>('/api/workspace')).id;
      } catch (reason) {
        if (!(reason instanceof BackendError) || reason.code !== 'no_workspace') return;
        id = null;
      }
      return () => {
        if (lastId !== undefined && id !== lastId) callback();
        lastId = id;
      };
    });
  }

  /** The bridge has no OS notifications, so nothing ever asks to open a conversation. */
  onOpenConversation(_callback: (conversationId: number) => void): () => void {
    return () => undefined;
  }

  /** Polls `/api/changes` and calls back whenever its version differs from the last one seen. */
  onChange(callback: () => void): () => void {
    let lastVersion: number | null = null;
    return this.poll(async () => {
      const { version } = await this.get<{ version: number }>('/api/changes');
      return () => {
        if (lastVersion !== null && version !== lastVersion) callback();
        lastVersion = version;
      };
    });
  }

  /**
   * Runs `check` now and then every poll interval until the returned function is called. `check` reads; the
   * function it resolves with is applied only while still subscribed. Failures are skipped: the backend may be
   * restarting, and the next poll tries again.
   */
  private poll(check: () => Promise<(() => void) | undefined>): () => void {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | null = null;

    const run = async () => {
      try {
        const apply = await check();
        if (stopped) return;
        apply?.();
      } catch {
        // Skipped; see above.
      }
      if (!stopped) timer = setTimeout(run, this.pollIntervalMs);
    };
    void run();

    return () => {
      stopped = true;
      if (timer !== null) clearTimeout(timer);
      timer = null;
    };
  }

  /** `POST /api/conversations/{id}/{action}` with only the fields the action needs. */
  private act(conversationId: number, action: string, body: Record<string, unknown>): Promise<Thread> {
    const path = `/api/conversations/${encodeURIComponent(String(conversationId))}/${action}`;
    return this.request('POST', path, body);
  }

  private get<T>(path: string): Promise<T> {
    return this.request('GET', path);
  }

  /**
   * One call. `timeout: false` waits as long as the backend takes (a sign-in waiting for the browser);
   * `emptyAnswer` accepts a success with no JSON body.
   */
  private async request<T>(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    path: string,
    body?: unknown,
    options: { timeout?: boolean; emptyAnswer?: boolean } = {},
  ): Promise<T> {
    const controller = new AbortController();
    const timeout =
      options.timeout === false ? null : setTimeout(() => controller.abort(), this.requestTimeoutMs);
    const headers: Record<string, string> = { Authorization: `Bearer ${this.token}`, Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let response: Response;
    try {
      response = await this.fetchImpl(this.baseUrl + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: controller.signal,
      });
    } catch {
      throw new BackendError('unreachable', UNREACHABLE_MESSAGE);
    } finally {
      if (timeout !== null) clearTimeout(timeout);
    }

    const answer = await readJson(response);
    if (!response.ok) throw errorFromResponse(response.status, answer);
    if (answer === undefined) {
      if (options.emptyAnswer) return undefined as T;
      throw new BackendError('internal', 'The backend sent an answer Switchboard could not read.');
    }
    return answer as T;
  }
}

function workspacePath(id: string): string {
  return `/api/workspaces/${encodeURIComponent(id)}`;
}

/** The JSON body, or `undefined` when there is none or it is not JSON. */
async function readJson(response: Response): Promise<unknown> {
  try {
    return await response.json();
  } catch {
    return undefined;
  }
}

function errorFromResponse(status: number, body: unknown): BackendError {
  if (isApiErrorLike(body)) return toBackendError(body);
  if (status === 401 || status === 403) {
    return new BackendError(
      'unauthorized',
      'The backend refused the access token. Open the address the bridge printed when it started.',
    );
  }
  if (status === 404) return new BackendError('not_found', 'The backend could not find what was asked for.');
  if (status === 400 || status === 422) return new BackendError('invalid_input', 'The backend rejected the request.');
  return new BackendError('internal', `The backend failed (HTTP ${status}). Try again.`);
}
