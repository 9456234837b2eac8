// The managed settings as the window last read them: read at start and whenever another workspace opens, so a
// change IT made while Switchboard ran shows without a restart. Unknown (null) until the first answer; a failed
// read keeps what was known (the backend enforces the settings either way).
import type { Backend } from './backend';
import type { ManagedView } from './bindings';

export class ManagedSettings {
  /** The last answer; null until the first one. */
  view = $state.raw<ManagedView | null>(null);
  private seq = 0;
  /** What was open at the last `opened` (null: nothing seen yet). */
  private lastOpened: unknown = null;

  constructor(private readonly backend: Pick<Backend, 'managedSettings'>) {}

  /**
   * The window shows `opened` (a workspace's view, or "none"): reads them again when that differs from what was
   * open before. The first one is not read again (`Installed.start` reads at start).
   */
  opened(opened: unknown): void {
    const changed = this.lastOpened !== null && opened !== this.lastOpened;
    this.lastOpened = opened;
    if (changed) void this.load();
  }

  /** Reads them again; an older answer arriving after a newer one is dropped. */
  async load(): Promise<void> {
    const seq = ++this.seq;
    try {
      const view = await this.backend.managedSettings();
      if (seq === this.seq) this.view = view;
    } catch {
      // Kept as known: the backend enforces them regardless, and the next switch reads again.
    }
  }
}
