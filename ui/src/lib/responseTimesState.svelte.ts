// The Response times panel's state: whether it is open, the period shown, and the report for it. It loads when
// opened, reloads when the period changes, and follows the workspace's changes (at most every few seconds: a
// report replays the period's events) while it is open.
import { toBackendError, type WorkspaceBackend } from './backend';
import type { ResponseTimesReport } from './bindings';
import type { LoadState } from './consoleState.svelte';
import { createRefreshScheduler, type RefreshScheduler } from './refreshScheduler';
import { DEFAULT_PERIOD, type Period } from './responseTimes';

const IDLE: LoadState = { status: 'idle' };
const LOADING: LoadState = { status: 'loading' };
const READY: LoadState = { status: 'ready' };

/** Changes in the workspace refresh an open report at most this often. */
export const LIVE_REFRESH_MS = 5_000;

export class ResponseTimes {
  isOpen = $state(false);
  days = $state<Period>(DEFAULT_PERIOD);
  /** The report for `days`, or null while it loads (or failed to). */
  report = $state.raw<ResponseTimesReport | null>(null);
  load = $state.raw<LoadState>(IDLE);

  // Each read remembers its number; an answer older than the last read asked for is dropped.
  private seq = 0;
  private readonly live: RefreshScheduler;

  constructor(
    private readonly backend: WorkspaceBackend,
    liveRefreshMs: number = LIVE_REFRESH_MS,
  ) {
    this.live = createRefreshScheduler(() => this.reload(), liveRefreshMs);
  }

  /** Loads the report for the period shown, with "Loading…" (also Retry). */
  async start(): Promise<void> {
    const seq = ++this.seq;
    const days = this.days;
    this.report = null;
    this.load = LOADING;
    try {
      const report = await this.backend.responseTimes(days);
      if (seq !== this.seq) return;
      this.report = report;
      this.load = READY;
    } catch (reason) {
      if (seq === this.seq) this.load = { status: 'error', error: toBackendError(reason) };
    }
  }

  /** Opens the panel with fresh numbers: the last report stays on screen while they load. */
  async open(): Promise<void> {
    this.isOpen = true;
    if (this.load.status === 'ready') await this.reload();
    else if (this.load.status !== 'loading') await this.start();
  }

  close(): void {
    this.isOpen = false;
  }

  /** Shows another period: its report loads from scratch (the old one would show the wrong days). */
  async setDays(days: Period): Promise<void> {
    if (days === this.days && this.load.status !== 'error') return;
    this.days = days;
    await this.start();
  }

  /** Something changed in the workspace: refreshes the report soon, only while the panel shows it. */
  refresh(): void {
    if (this.isOpen && this.load.status === 'ready') this.live.request();
  }

  /** The view is being replaced: no more refreshes. */
  dispose(): void {
    this.live.cancel();
    this.seq++;
  }

  /** Reads the report again, keeping the one on screen (also when the read fails). */
  private async reload(): Promise<void> {
    if (!this.isOpen || this.load.status !== 'ready') return;
    const seq = ++this.seq;
    try {
      const report = await this.backend.responseTimes(this.days);
      if (seq === this.seq) this.report = report;
    } catch {
      // The numbers on screen stay, with their "as of" time; the console's own refresh reports the backend failing.
    }
  }
}
