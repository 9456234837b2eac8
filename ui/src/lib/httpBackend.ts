// The dev/test bridge backend: JSON over HTTP on the loopback address, with a bearer token.
import { BackendError, isApiErrorLike, toBackendError, UNREACHABLE_MESSAGE } from './backend';
import { CommandBackend, type CallOptions } from './backendCommands';
import type { CommandName, Commands } from './commands';

export const POLL_INTERVAL_MS = 1000;
export const REQUEST_TIMEOUT_MS = 10_000;

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface HttpBackendOptions {
  fetch?: FetchLike;
  pollIntervalMs?: number;
  requestTimeoutMs?: number;
}

/** Commands travel as JSON over HTTP to the bridge; events are found by polling. */
export class HttpBackend extends CommandBackend {
  private readonly baseUrl: string;
  private readonly fetchImpl: FetchLike;
  private readonly pollIntervalMs: number;
  private readonly requestTimeoutMs: number;

  constructor(
    baseUrl: string,
    private readonly token: string,
    options: HttpBackendOptions = {},
  ) {
    super();
    this.baseUrl = baseUrl.replace(/\/+$/, '');
    this.fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.pollIntervalMs = options.pollIntervalMs ?? POLL_INTERVAL_MS;
    this.requestTimeoutMs = options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS;
  }

  /** `POST /api/commands/{name}` with the arguments as the JSON body. */
  protected call<K extends CommandName>(
    name: K,
    args: Commands[K]['args'],
    options: CallOptions = {},
  ): Promise<Commands[K]['returns']> {
    return this.request('POST', `/api/commands/${encodeURIComponent(name)}`, args, { timeout: !options.noTimeout });
  }

  /**
   * The bridge has no events: polls the open workspace and calls back when the open workspace's id differs from
   * the last one seen (a workspace opening where there was none counts; having none is id `null`).
   */
  onWorkspaceSwitched(callback: () => void): () => void {
    let lastId: string | null | undefined;
    return this.poll(async () => {
      let id: string | null;
      try {
        id = (await this.workspace()).id;
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

  private get<T>(path: string): Promise<T> {
    return this.request('GET', path);
  }

  /** One request. `timeout: false` waits as long as the backend takes (a sign-in waiting for the browser). */
  private async request<T>(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    options: { timeout?: boolean } = {},
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
