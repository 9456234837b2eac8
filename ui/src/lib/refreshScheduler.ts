// Coalesces bursts of "something changed" into at most one refresh per interval, never overlapping.

export interface RefreshScheduler {
  /** Asks for a refresh; requests during a wait or a running refresh are merged. */
  request(): void;
  /** Drops any pending refresh; later requests are ignored. */
  cancel(): void;
}

export const REFRESH_INTERVAL_MS = 300;

export function createRefreshScheduler(
  refresh: () => Promise<void>,
  intervalMs: number = REFRESH_INTERVAL_MS,
): RefreshScheduler {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let running = false;
  let requestedWhileRunning = false;
  let cancelled = false;

  const schedule = () => {
    if (timer !== null || cancelled) return;
    timer = setTimeout(run, intervalMs);
  };

  const run = async () => {
    timer = null;
    running = true;
    try {
      await refresh();
    } catch (reason) {
      console.warn('Switchboard: refresh failed:', reason);
    } finally {
      running = false;
    }
    if (requestedWhileRunning) {
      requestedWhileRunning = false;
      schedule();
    }
  };

  return {
    request() {
      if (cancelled) return;
      if (running) requestedWhileRunning = true;
      else schedule();
    },
    cancel() {
      cancelled = true;
      if (timer !== null) clearTimeout(timer);
      timer = null;
    },
  };
}
