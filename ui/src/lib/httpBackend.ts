// The dev/test bridge backend: JSON over HTTP on the loopback address, with a bearer token.
import { BackendError, isApiErrorLike, toBackendError, UNREACHABLE_MESSAGE, type Backend } from './backend';
import type {
  AlertPreferences,
  ConversationSummary,
  DoneReason,
  QueueId,
  QueueSummary,
  Thread,
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

  /** The bridge has no OS notifications, so nothing ever asks to open a conversation. */
  onOpenConversation(_callback: (conversationId: number) => void): () => void {
    return () => undefined;
  }

  /** Polls `/api/changes` and calls back whenever its version differs from the last one seen. */
  onChange(callback: () => void): () => void {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | null = null;
    let lastVersion: number | null = null;

    const poll = async () => {
      try {
        const { version } = await this.get<{ version: number }>('/api/changes');
        if (stopped) return;
        if (lastVersion !== null && version !== lastVersion) callback();
        lastVersion = version;
      } catch {
        // The backend may be restarting; the next poll tries again.
      }
      if (!stopped) timer = setTimeout(poll, this.pollIntervalMs);
    };
    void poll();

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

  private async request<T>(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown): Promise<T> {
    const controller = new AbortController();
    const timeout = setTimeout(() => controller.abort(), this.requestTimeoutMs);
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
      clearTimeout(timeout);
    }

    const answer = await readJson(response);
    if (!response.ok) throw errorFromResponse(response.status, answer);
    if (answer === undefined) {
      throw new BackendError('internal', 'The backend sent an answer Switchboard could not read.');
    }
    return answer as T;
  }
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
