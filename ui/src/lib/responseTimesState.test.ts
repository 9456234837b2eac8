import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ResponseTimesReport } from './bindings';
import { ResponseTimes } from './responseTimesState.svelte';
import { queueResponseTimes, responseTimesReport, unusedWorkspaceBackend } from './testFixtures';

function fakeBackend(answer: (days: number) => Promise<ResponseTimesReport>) {
  return { ...unusedWorkspaceBackend(), responseTimes: vi.fn(answer) };
}

const report = (responses: number) => responseTimesReport([queueResponseTimes('support', 'Support', { responses })]);

afterEach(() => {
  vi.useRealTimers();
});

describe('ResponseTimes', () => {
  it('loads the last 7 days when opened', async () => {
    const backend = fakeBackend(async () => report(3));
    const state = new ResponseTimes(backend);
    expect(state.load.status).toBe('idle');
    await state.open();
    expect(state.isOpen).toBe(true);
    expect(backend.responseTimes).toHaveBeenCalledWith(7);
    expect(state.report).toEqual(report(3));
    expect(state.load.status).toBe('ready');
  });

  it('reads again each time it opens, keeping the last numbers on screen meanwhile', async () => {
    let answer = report(3);
    const backend = fakeBackend(async () => answer);
    const state = new ResponseTimes(backend);
    await state.open();
    state.close();
    answer = report(4);
    const reopening = state.open();
    expect(state.report).toEqual(report(3));
    await reopening;
    expect(state.report).toEqual(report(4));
    expect(backend.responseTimes).toHaveBeenCalledTimes(2);
  });

  it('loads another period from scratch when it changes, and not again for the same one', async () => {
    const backend = fakeBackend(async (days) => report(days));
    const state = new ResponseTimes(backend);
    await state.open();
    const switching = state.setDays(30);
    expect(state.report).toBeNull();
    expect(state.load.status).toBe('loading');
    await switching;
    expect(state.days).toBe(30);
    expect(state.report).toEqual(report(30));
    await state.setDays(30);
    expect(backend.responseTimes.mock.calls).toEqual([[7], [30]]);
  });

  it('drops an answer for a period no longer shown', async () => {
    const pending: Array<(r: ResponseTimesReport) => void> = [];
    const backend = fakeBackend(() => new Promise((resolve) => pending.push(resolve)));
    const state = new ResponseTimes(backend);
    void state.open();
    const switching = state.setDays(90);
    pending[1]!(report(90));
    await switching;
    pending[0]!(report(7));
    await Promise.resolve();
    expect(state.report).toEqual(report(90));
  });

  it('shows a failure with the backend\'s words, and Retry loads again', async () => {
    const backend = fakeBackend(async () => {
      throw { code: 'storage', message: 'The database is locked.' };
    });
    const state = new ResponseTimes(backend);
    await state.open();
    expect(state.load).toMatchObject({ status: 'error', error: { code: 'storage', message: 'The database is locked.' } });
    backend.responseTimes.mockImplementation(async () => report(2));
    await state.start();
    expect(state.report).toEqual(report(2));
  });

  it('follows the workspace\'s changes while open, at most once per interval', async () => {
    vi.useFakeTimers();
    let answer = report(1);
    const backend = fakeBackend(async () => answer);
    const state = new ResponseTimes(backend, 5_000);
    await state.open();
    answer = report(2);
    state.refresh();
    state.refresh();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(backend.responseTimes).toHaveBeenCalledTimes(2);
    expect(state.report).toEqual(report(2));

    state.close();
    state.refresh();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(backend.responseTimes).toHaveBeenCalledTimes(2);
  });

  it('keeps the numbers on screen when a live refresh fails, and stops refreshing once disposed', async () => {
    vi.useFakeTimers();
    const backend = fakeBackend(async () => report(1));
    const state = new ResponseTimes(backend, 1_000);
    await state.open();
    backend.responseTimes.mockImplementation(async () => {
      throw { code: 'unreachable', message: 'Gone.' };
    });
    state.refresh();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(state.report).toEqual(report(1));
    expect(state.load.status).toBe('ready');

    state.dispose();
    state.refresh();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(backend.responseTimes).toHaveBeenCalledTimes(2);
  });
});
