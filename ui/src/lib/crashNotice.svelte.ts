// The notice at the next start after Switchboard crashed: when, what happened in one line (the report is
// redacted), the folder with the report, and dismissing it (the report stays on disk).
import { toBackendError, type Backend } from './backend';
import type { CrashNotice, Timestamp } from './bindings';
import { formatClockTime } from './format';

/** "Switchboard closed unexpectedly at 14:05 — <summary>. Nothing you recorded was lost." */
export function crashNoticeText(notice: CrashNotice, now: Timestamp): string {
  const summary = notice.summary.trim().replace(/[.\s]+$/, '');
  const what = summary ? ` — ${summary}.` : '.';
  return `Switchboard closed unexpectedly at ${formatClockTime(notice.at, now)}${what} Nothing you recorded was lost.`;
}

export class CrashNoticeState {
  /** The crash to tell about; null when the last run ended normally (or once dismissed). */
  notice = $state.raw<CrashNotice | null>(null);
  /** Why opening the folder or dismissing failed, in words. */
  error = $state.raw<string | null>(null);

  constructor(private readonly backend: Pick<Backend, 'lastCrash' | 'dismissCrash' | 'openCrashFolder'>) {}

  async load(): Promise<void> {
    try {
      this.notice = await this.backend.lastCrash();
    } catch {
      this.notice = null; // a notice that cannot be read is not worth an error of its own
    }
  }

  async openFolder(): Promise<void> {
    this.error = null;
    try {
      await this.backend.openCrashFolder();
    } catch (reason) {
      this.error = `Couldn't open the folder: ${toBackendError(reason).message}`;
    }
  }

  /** Hides it at once and tells the backend to forget it. */
  async dismiss(): Promise<void> {
    const notice = this.notice;
    this.notice = null;
    this.error = null;
    try {
      await this.backend.dismissCrash();
    } catch (reason) {
      this.notice = notice;
      this.error = `Couldn't dismiss the notice: ${toBackendError(reason).message}`;
    }
  }
}
