import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createRefreshScheduler } from './refreshScheduler';

describe('createRefreshScheduler', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('merges a burst of requests into one refresh after the interval', async () => {
    const refresh = vi.fn(async () => undefined);
    const scheduler = createRefreshScheduler(refresh, 300);

    for (let i = 0; i < 10; i++) scheduler.request();
    await vi.advanceTimersByTimeAsync(299);
    expect(refresh).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(refresh).toHaveBeenCalledTimes(1);
  });

  it('refreshes at most once per interval under a steady stream of changes', async () => {
    const refresh = vi.fn(async () => undefined);
    const scheduler = createRefreshScheduler(refresh, 300);

    for (let t = 0; t < 3000; t += 50) {
      scheduler.request();
      await vi.advanceTimersByTimeAsync(50);
    }
    expect(refresh.mock.calls.length).toBeLessThanOrEqual(10);
    expect(refresh.mock.calls.length).toBeGreaterThanOrEqual(9);
  });

  it('never overlaps refreshes, and catches up on changes seen while one ran', async () => {
    let finish: () => void = () => undefined;
    const refresh = vi.fn(() => new Promise<void>((resolve) => (finish = resolve)));
    const scheduler = createRefreshScheduler(refresh, 300);

    scheduler.request();
    await vi.advanceTimersByTimeAsync(300);
    expect(refresh).toHaveBeenCalledTimes(1);

    scheduler.request(); // while the first one runs
    await vi.advanceTimersByTimeAsync(1000);
    expect(refresh).toHaveBeenCalledTimes(1);

    finish();
    await vi.advanceTimersByTimeAsync(300);
    expect(refresh).toHaveBeenCalledTimes(2);
  });

  it('keeps working after a refresh fails', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const refresh = vi.fn().mockRejectedValueOnce(new Error('boom')).mockResolvedValue(undefined);
    const scheduler = createRefreshScheduler(refresh, 300);

    scheduler.request();
    await vi.advanceTimersByTimeAsync(300);
    scheduler.request();
    await vi.advanceTimersByTimeAsync(300);
    expect(refresh).toHaveBeenCalledTimes(2);
    warn.mockRestore();
  });

  it('does nothing after cancel', async () => {
    const refresh = vi.fn(async () => undefined);
    const scheduler = createRefreshScheduler(refresh, 300);
    scheduler.request();
    scheduler.cancel();
    scheduler.request();
    await vi.advanceTimersByTimeAsync(1000);
    expect(refresh).not.toHaveBeenCalled();
  });
});
