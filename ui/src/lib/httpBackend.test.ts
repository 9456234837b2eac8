import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BackendError, UNREACHABLE_MESSAGE } from './backend';
import { HttpBackend, type FetchLike } from './httpBackend';
import {
  account,
  alertPrefs,
  conversation,
  demoWorkspace,
  queueResponseTimes,
  responseTimesReport,
  threadOf,
  workspaceEntry,
  workspaceInfo,
} from './testFixtures';

const BASE = 'http://127.0.0.1:9000';

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

/** A fetch stub answering each call with the next reply (a Response, or an Error to throw). */
function stubFetch(...replies: Array<Response | Error | (() => Response)>) {
  const queue = [...replies];
  return vi.fn<FetchLike>(async () => {
    const next = queue.length > 1 ? queue.shift()! : queue[0]!;
    if (next instanceof Error) throw next;
    return typeof next === 'function' ? next() : next.clone();
  });
}

/** Each call as [url, method, parsed body or undefined]. */
function sentCalls(fetch: ReturnType<typeof stubFetch>) {
  return fetch.mock.calls.map(([url, init]) => [
    url,
    init.method,
    init.body === undefined ? undefined : JSON.parse(String(init.body)),
  ]);
}

async function caught(promise: Promise<unknown>): Promise<BackendError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof BackendError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

describe('HttpBackend requests', () => {
  it('sends the bearer token and reads the JSON answer', async () => {
    const fetch = stubFetch(json(demoWorkspace));
    const backend = new HttpBackend(`${BASE}/`, 's3cret', { fetch });

    await expect(backend.workspace()).resolves.toEqual(demoWorkspace);

    const [url, init] = fetch.mock.calls[0]!;
    expect(url).toBe(`${BASE}/api/commands/workspace_info`);
    expect(new Headers(init.headers).get('Authorization')).toBe('Bearer s3cret');
  });

  it('POSTs each command to /api/commands/{name} with its arguments, naming the workspace', async () => {
    const fetch = stubFetch(json([]));
    const backend = new HttpBackend(BASE, 't', { fetch });

    await backend.queues('acme');
    await backend.conversations('acme', 'sales & more/2');
    await backend.thread('acme', 42).catch(() => undefined);

    expect(sentCalls(fetch)).toEqual([
      [`${BASE}/api/commands/list_queues`, 'POST', { workspace: 'acme' }],
      [`${BASE}/api/commands/list_conversations`, 'POST', { workspace: 'acme', queue: 'sales & more/2' }],
      [`${BASE}/api/commands/get_thread`, 'POST', { workspace: 'acme', conversationId: 42 }],
    ]);
  });

  it('reads the open workspace with workspace_info and no workspace named', async () => {
    const fetch = stubFetch(json(demoWorkspace));
    await new HttpBackend(BASE, 't', { fetch }).workspace();
    expect(sentCalls(fetch)).toEqual([[`${BASE}/api/commands/workspace_info`, 'POST', {}]]);
  });

  it('sends each action as its command, with the workspace and the fields it needs', async () => {
    const answer = threadOf(conversation(42));
    const fetch = stubFetch(json(answer));
    const backend = new HttpBackend(BASE, 's3cret', { fetch });

    await expect(backend.claim('acme', 42)).resolves.toEqual(answer);
    await backend.release('acme', 42);
    await backend.reopen('acme', 42);
    await backend.handOff('acme', 42, 'sales', 'Wants a quote');
    await backend.addNote('acme', 42, 'Called back');
    await backend.markDone('acme', 42, 'answered_elsewhere');
    await backend.snooze('acme', 42, 1440);

    const sent = fetch.mock.calls.map(([url, init]) => [url, init.method, JSON.parse(String(init.body))]);
    expect(sent).toEqual([
      [`${BASE}/api/commands/claim`, 'POST', { workspace: 'acme', conversationId: 42 }],
      [`${BASE}/api/commands/release`, 'POST', { workspace: 'acme', conversationId: 42 }],
      [`${BASE}/api/commands/reopen`, 'POST', { workspace: 'acme', conversationId: 42 }],
      [`${BASE}/api/commands/hand_off`, 'POST', { workspace: 'acme', conversationId: 42, queue: 'sales', note: 'Wants a quote', toMember: null }],
      [`${BASE}/api/commands/add_note`, 'POST', { workspace: 'acme', conversationId: 42, note: 'Called back' }],
      [`${BASE}/api/commands/mark_done`, 'POST', { workspace: 'acme', conversationId: 42, reason: 'answered_elsewhere' }],
      [`${BASE}/api/commands/snooze`, 'POST', { workspace: 'acme', conversationId: 42, minutes: 1440 }],
    ]);
    for (const [, init] of fetch.mock.calls) {
      const headers = new Headers(init.headers);
      expect(headers.get('Content-Type')).toBe('application/json');
      expect(headers.get('Authorization')).toBe('Bearer s3cret');
    }
  });

  it('reads, saves and pauses the notification preferences of the workspace', async () => {
    const prefs = alertPrefs({ queues: ['support'], quiet_hours: { start: '18:00', end: '08:00' } });
    const fetch = stubFetch(json(prefs));
    const backend = new HttpBackend(BASE, 's3cret', { fetch });

    await expect(backend.alertPreferences('acme')).resolves.toEqual(prefs);
    await expect(backend.setAlertPreferences('acme', prefs)).resolves.toEqual(prefs);
    await backend.pauseAlerts('acme', 60);
    await backend.pauseAlerts('acme', 0);

    const sent = fetch.mock.calls.map(([url, init]) => [
      url,
      init.method,
      init.body === undefined ? undefined : JSON.parse(String(init.body)),
    ]);
    expect(sent).toEqual([
      [`${BASE}/api/commands/alert_preferences`, 'POST', { workspace: 'acme' }],
      [`${BASE}/api/commands/set_alert_preferences`, 'POST', { workspace: 'acme', preferences: prefs }],
      [`${BASE}/api/commands/pause_alerts`, 'POST', { workspace: 'acme', minutes: 60 }],
      [`${BASE}/api/commands/pause_alerts`, 'POST', { workspace: 'acme', minutes: 0 }],
    ]);
    for (const [, init] of fetch.mock.calls.slice(1)) {
      expect(new Headers(init.headers).get('Content-Type')).toBe('application/json');
      expect(new Headers(init.headers).get('Authorization')).toBe('Bearer s3cret');
    }
  });

  it('rejects invalid preferences with the backend\'s ApiError', async () => {
    const message = '`25:00` is not a time of day; write it as HH:MM, e.g. 18:00.';
    const fetch = stubFetch(json({ code: 'invalid_input', message }, 400));
    const error = await caught(new HttpBackend(BASE, 't', { fetch }).setAlertPreferences('acme', alertPrefs()));
    expect(error).toMatchObject({ code: 'invalid_input', message });
  });

  it('never asks to open a conversation, and can still be unsubscribed', () => {
    const fetch = stubFetch(json({}));
    const callback = vi.fn();
    const stop = new HttpBackend(BASE, 't', { fetch }).onOpenConversation(callback);
    expect(typeof stop).toBe('function');
    stop();
    expect(callback).not.toHaveBeenCalled();
    expect(fetch).not.toHaveBeenCalled();
  });

  it('rejects a failed action with the backend\'s ApiError', async () => {
    const fetch = stubFetch(json({ code: 'invalid_input', message: 'Write a note first.' }, 400));
    const error = await caught(new HttpBackend(BASE, 't', { fetch }).handOff('acme', 1, 'sales', ''));
    expect(error).toMatchObject({ code: 'invalid_input', message: 'Write a note first.' });
  });

  it('turns an ApiError body on a non-2xx answer into a BackendError', async () => {
    const fetch = stubFetch(json({ code: 'not_found', message: 'That conversation is gone.' }, 404));
    const error = await caught(new HttpBackend(BASE, 't', { fetch }).thread('acme', 7));
    expect(error).toMatchObject({ code: 'not_found', message: 'That conversation is gone.' });
  });

  it('passes the bridge\'s refusal of a call for a workspace that is no longer open on', async () => {
    const message = 'That belongs to the workspace “Acme”, which is no longer open.';
    const fetch = stubFetch(json({ code: 'workspace_changed', message }, 409));
    const error = await caught(new HttpBackend(BASE, 't', { fetch }).claim('acme', 7));
    expect(error).toMatchObject({ code: 'workspace_changed', message });
  });

  it('explains a refused token even without an ApiError body', async () => {
    const fetch = stubFetch(new Response('nope', { status: 401 }));
    const error = await caught(new HttpBackend(BASE, 'wrong', { fetch }).queues('acme'));
    expect(error.code).toBe('unauthorized');
  });

  it('reports a server failure without a body as internal', async () => {
    const fetch = stubFetch(new Response('', { status: 502 }));
    const error = await caught(new HttpBackend(BASE, 't', { fetch }).queues('acme'));
    expect(error).toMatchObject({ code: 'internal', message: 'The backend failed (HTTP 502). Try again.' });
  });

  it('reports a 2xx answer that is not JSON', async () => {
    const fetch = stubFetch(new Response('<html>', { status: 200 }));
    const error = await caught(new HttpBackend(BASE, 't', { fetch }).queues('acme'));
    expect(error.code).toBe('internal');
  });

  it('turns a network failure into "unreachable" with plain words', async () => {
    const fetch = stubFetch(new TypeError('Failed to fetch'));
    const error = await caught(new HttpBackend(BASE, 't', { fetch }).workspace());
    expect(error).toMatchObject({ code: 'unreachable', message: UNREACHABLE_MESSAGE });
  });
});

describe('HttpBackend workspaces, accounts and replies', () => {
  it('sends replies with their key, and retries, naming the workspace', async () => {
    const answer = threadOf(conversation(42));
    const fetch = stubFetch(json(answer));
    const backend = new HttpBackend(BASE, 't', { fetch });
    await expect(backend.sendReply('acme', 42, 'Thanks!', 'key-1')).resolves.toEqual(answer);
    await backend.retryReply('acme', 42, 7);
    expect(sentCalls(fetch)).toEqual([
      [
        `${BASE}/api/commands/send_reply`,
        'POST',
        { workspace: 'acme', conversationId: 42, text: 'Thanks!', idempotencyKey: 'key-1', seenVersion: null, sendAnyway: false, confirmedRules: null },
      ],
      [`${BASE}/api/commands/retry_reply`, 'POST', { workspace: 'acme', conversationId: 42, replyId: 7 }],
    ]);
  });

  it('sends the workspace commands with the id as an argument', async () => {
    const entries = [workspaceEntry('a b', 'A', { is_current: true })];
    const fetch = stubFetch(
      json(entries),
      json(entries[0]),
      json(entries),
      json(workspaceInfo('a b', 'A')),
      json('/home/ana/Downloads/a.jsonl'),
      json(entries),
    );
    const backend = new HttpBackend(BASE, 't', { fetch });
    await expect(backend.workspaces()).resolves.toEqual(entries);
    await expect(backend.createWorkspace('A')).resolves.toEqual(entries[0]);
    await backend.renameWorkspace('a b', 'B');
    await backend.switchWorkspace('a b');
    await expect(backend.exportWorkspaceLog('a b')).resolves.toBe('/home/ana/Downloads/a.jsonl');
    await backend.removeWorkspace('a b');
    expect(sentCalls(fetch)).toEqual([
      [`${BASE}/api/commands/list_workspaces`, 'POST', {}],
      [`${BASE}/api/commands/create_workspace`, 'POST', { name: 'A' }],
      [`${BASE}/api/commands/rename_workspace`, 'POST', { id: 'a b', name: 'B' }],
      [`${BASE}/api/commands/switch_workspace`, 'POST', { id: 'a b' }],
      [`${BASE}/api/commands/export_workspace_log`, 'POST', { id: 'a b' }],
      [`${BASE}/api/commands/remove_workspace`, 'POST', { id: 'a b' }],
    ]);
  });

  it('sends the account commands, with the sign-in request whole', async () => {
    const request = { platform: 'mastodon', instance: 'social.example' } as const;
    const added = { outcome: 'added', account: account('mastodon:1@social.example') };
    const fetch = stubFetch(
      json([]),
      json(added),
      json(null),
      json(null),
      json([]),
    );
    const backend = new HttpBackend(BASE, 't', { fetch });
    await backend.accounts('acme');
    await expect(backend.addAccount('acme', request)).resolves.toEqual(added);
    await expect(backend.cancelSignIn('acme')).resolves.toBeUndefined();
    await expect(backend.confirmAccount('acme', 'p-1', false)).resolves.toBeNull();
    await backend.removeAccount('acme', 'mastodon:1@social.example');
    expect(sentCalls(fetch)).toEqual([
      [`${BASE}/api/commands/list_accounts`, 'POST', { workspace: 'acme' }],
      [`${BASE}/api/commands/add_account`, 'POST', { workspace: 'acme', request }],
      [`${BASE}/api/commands/cancel_sign_in`, 'POST', { workspace: 'acme' }],
      [`${BASE}/api/commands/confirm_account`, 'POST', { workspace: 'acme', pending: 'p-1', confirm: false }],
      [`${BASE}/api/commands/remove_account`, 'POST', { workspace: 'acme', key: 'mastodon:1@social.example' }],
    ]);
  });

  it('asks for the response times with the number of days', async () => {
    const report = responseTimesReport([queueResponseTimes('support', 'Support', { responses: 3 })]);
    const fetch = stubFetch(json(report));
    const backend = new HttpBackend(BASE, 't', { fetch });
    await expect(backend.responseTimes('acme', 30)).resolves.toEqual(report);
    expect(sentCalls(fetch)).toEqual([[`${BASE}/api/commands/response_times`, 'POST', { workspace: 'acme', days: 30 }]]);
  });

  it('reports a failed sign-in with the backend\'s code and words', async () => {
    const message = '@ana@social.example is not on this workspace\'s list of brand accounts.';
    const fetch = stubFetch(json({ code: 'not_allowed', message }, 403));
    const error = await caught(new HttpBackend(BASE, 't', { fetch }).addAccount('acme', { platform: 'mastodon', instance: 'x' }));
    expect(error).toMatchObject({ code: 'not_allowed', message });
  });
});

describe('HttpBackend timeouts and polling', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('gives up on a request that hangs and reports the backend unreachable', async () => {
    const fetch = vi.fn<FetchLike>(
      (_url, init) =>
        new Promise((_resolve, reject) => {
          init.signal?.addEventListener('abort', () => reject(new DOMException('Aborted', 'AbortError')));
        }),
    );
    const result = caught(new HttpBackend(BASE, 't', { fetch, requestTimeoutMs: 5000 }).queues('acme'));
    await vi.advanceTimersByTimeAsync(5000);
    expect((await result).code).toBe('unreachable');
  });

  it('polls /api/changes every second and calls back only when the version changes', async () => {
    const versions = [1, 1, 2, 2, 2, 5];
    const fetch = vi.fn<FetchLike>(async () => json({ version: versions.shift() ?? 5 }));
    const callback = vi.fn();
    const stop = new HttpBackend(BASE, 'tok', { fetch }).onChange(callback);

    await vi.advanceTimersByTimeAsync(0); // first poll: the baseline, no callback
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(fetch.mock.calls[0]![0]).toBe(`${BASE}/api/changes`);
    expect(new Headers(fetch.mock.calls[0]![1].headers).get('Authorization')).toBe('Bearer tok');
    expect(callback).not.toHaveBeenCalled();

    await vi.advanceTimersByTimeAsync(1000); // 1 → 1
    expect(fetch).toHaveBeenCalledTimes(2);
    expect(callback).not.toHaveBeenCalled();

    await vi.advanceTimersByTimeAsync(1000); // 1 → 2
    expect(callback).toHaveBeenCalledTimes(1);

    await vi.advanceTimersByTimeAsync(2000); // 2 → 2 → 2
    expect(callback).toHaveBeenCalledTimes(1);

    await vi.advanceTimersByTimeAsync(1000); // 2 → 5
    expect(callback).toHaveBeenCalledTimes(2);

    stop();
    const calls = fetch.mock.calls.length;
    await vi.advanceTimersByTimeAsync(5000);
    expect(fetch).toHaveBeenCalledTimes(calls);
    expect(callback).toHaveBeenCalledTimes(2);
  });

  it('keeps polling through failures and compares with the last version seen', async () => {
    const fetch = stubFetch(json({ version: 3 }), new TypeError('down'), json({ version: 3 }), json({ version: 4 }));
    const callback = vi.fn();
    const stop = new HttpBackend(BASE, 't', { fetch }).onChange(callback);

    await vi.advanceTimersByTimeAsync(0); // 3 (baseline)
    await vi.advanceTimersByTimeAsync(1000); // network failure
    await vi.advanceTimersByTimeAsync(1000); // 3 again
    expect(callback).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1000); // 4
    expect(callback).toHaveBeenCalledTimes(1);
    expect(fetch).toHaveBeenCalledTimes(4);
    stop();
  });

  it('does not call back after unsubscribing while a poll is in flight', async () => {
    let answer: ((response: Response) => void) | null = null;
    const fetch = vi
      .fn<FetchLike>()
      .mockResolvedValueOnce(json({ version: 1 }))
      .mockImplementationOnce(() => new Promise((resolve) => (answer = resolve)));
    const callback = vi.fn();
    const stop = new HttpBackend(BASE, 't', { fetch }).onChange(callback);

    await vi.advanceTimersByTimeAsync(1000); // baseline, then the second poll starts and hangs
    expect(fetch).toHaveBeenCalledTimes(2);
    stop();
    answer!(json({ version: 2 }));
    await vi.advanceTimersByTimeAsync(3000);
    expect(callback).not.toHaveBeenCalled();
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  it('waits for a Mastodon sign-in as long as it takes (no request timeout)', async () => {
    let answer: ((response: Response) => void) | null = null;
    const fetch = vi.fn<FetchLike>(() => new Promise((resolve) => (answer = resolve)));
    const result = new HttpBackend(BASE, 't', { fetch, requestTimeoutMs: 5000 }).addAccount('acme', {
      platform: 'mastodon',
      instance: 'social.example',
    });
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(fetch.mock.calls[0]![1].signal?.aborted).toBe(false);
    answer!(json({ outcome: 'added', account: account('k') }));
    await expect(result).resolves.toMatchObject({ outcome: 'added' });
  });

  it('polls the open workspace and calls back when it changes', async () => {
    const answers = [
      json(workspaceInfo('a', 'A')),
      json(workspaceInfo('a', 'A')),
      json(workspaceInfo('b', 'B')),
      new TypeError('down'),
      json({ code: 'no_workspace', message: 'None.' }, 404),
      json(workspaceInfo('c', 'C')),
    ];
    const fetch = vi.fn<FetchLike>(async () => {
      const next = answers.shift() ?? json(workspaceInfo('c', 'C'));
      if (next instanceof Error) throw next;
      return next;
    });
    const callback = vi.fn();
    const stop = new HttpBackend(BASE, 't', { fetch }).onWorkspaceSwitched(callback);

    await vi.advanceTimersByTimeAsync(0); // a: the baseline
    expect(fetch.mock.calls[0]![0]).toBe(`${BASE}/api/commands/workspace_info`);
    await vi.advanceTimersByTimeAsync(1000); // a
    expect(callback).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1000); // b
    expect(callback, 'a → b is a switch').toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1000); // network failure: skipped
    expect(callback).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1000); // none
    expect(callback, 'b → none is a switch').toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(1000); // c
    expect(callback, 'none → c is a switch').toHaveBeenCalledTimes(3);

    stop();
    await vi.advanceTimersByTimeAsync(5000);
    expect(callback).toHaveBeenCalledTimes(3);
  });
});
