// The person's notification preferences: loaded at start and on every change, edited in the settings panel
// (what is typed survives a failed save and live refreshes), and paused or resumed from the header or the panel.
import {
  draftChanged,
  draftFrom,
  draftProblem,
  PAUSE_MINUTES,
  pausedUntil,
  preferencesFrom,
  type AlertDraft,
} from './alertPreferences';
import { toBackendError, type WorkspaceBackend } from './backend';
import type { AlertPreferences, Timestamp } from './bindings';
import type { LoadState } from './consoleState.svelte';

const IDLE: LoadState = { status: 'idle' };
const LOADING: LoadState = { status: 'loading' };
const READY: LoadState = { status: 'ready' };

export class AlertSettings {
  /** The preferences as the backend last gave them. */
  preferences = $state.raw<AlertPreferences | null>(null);
  load = $state.raw<LoadState>(IDLE);

  /** Whether the settings panel is open. */
  isOpen = $state(false);
  /** What the form shows; null until the preferences are loaded. */
  draft = $state.raw<AlertDraft | null>(null);
  saving = $state(false);
  /** Why the last save failed (or the form's own problem), in words. */
  error = $state.raw<string | null>(null);
  /** The last save worked and nothing was edited since. */
  saved = $state(false);

  /** The pause or resume in flight, if any. */
  pausing = $state.raw<'pause' | 'resume' | null>(null);
  pauseError = $state.raw<string | null>(null);

  // Each read remembers its number; an answer older than the last write is dropped.
  private seq = 0;

  constructor(private readonly backend: WorkspaceBackend) {}

  /** First load (or a retry), with "Loading…" in the panel. */
  async start(): Promise<void> {
    const seq = ++this.seq;
    this.load = LOADING;
    try {
      const preferences = await this.backend.alertPreferences();
      if (seq === this.seq) this.apply(preferences);
    } catch (reason) {
      if (seq === this.seq) this.load = { status: 'error', error: toBackendError(reason) };
    }
  }

  /** Live refresh after a change: keeps what the person is typing. */
  async refresh(): Promise<void> {
    if (this.load.status !== 'ready') return this.start();
    const seq = ++this.seq;
    try {
      const preferences = await this.backend.alertPreferences();
      if (seq === this.seq) this.apply(preferences);
    } catch {
      // The preferences on screen stay; the console's own refresh reports the backend failing.
    }
  }

  /** Opens the panel filled from the preferences; loads them first when that failed before. */
  async open(): Promise<void> {
    this.isOpen = true;
    this.error = null;
    this.saved = false;
    this.draft = this.preferences === null ? null : draftFrom(this.preferences);
    if (this.load.status === 'error' || this.load.status === 'idle') await this.start();
  }

  /** Closes the panel; unsaved edits are dropped. */
  close(): void {
    this.isOpen = false;
    this.draft = null;
    this.error = null;
    this.saved = false;
  }

  async toggle(): Promise<void> {
    if (this.isOpen) this.close();
    else await this.open();
  }

  edit(change: Partial<AlertDraft>): void {
    if (this.draft === null) return;
    this.draft = { ...this.draft, ...change };
    this.error = null;
    this.saved = false;
  }

  /** Saves the form; on success it shows what the backend stored, on failure it keeps the edits. */
  async save(): Promise<boolean> {
    const draft = this.draft;
    const current = this.preferences;
    if (draft === null || current === null || this.saving) return false;
    const problem = draftProblem(draft);
    if (problem !== null) {
      this.error = problem;
      return false;
    }
    this.saving = true;
    this.error = null;
    this.saved = false;
    try {
      const answer = await this.backend.setAlertPreferences(preferencesFrom(current, draft));
      this.seq++; // a read still on its way may predate the save
      this.preferences = answer;
      this.load = READY;
      if (this.isOpen) {
        this.draft = draftFrom(answer);
        this.saved = true;
      }
      return true;
    } catch (reason) {
      if (this.isOpen) this.error = toBackendError(reason).message;
      return false;
    } finally {
      this.saving = false;
    }
  }

  /** Pauses notifications for `minutes` (an hour unless told otherwise). */
  pause(minutes: number = PAUSE_MINUTES): Promise<boolean> {
    return this.setPause(minutes);
  }

  resume(): Promise<boolean> {
    return this.setPause(0);
  }

  dismissPauseError(): void {
    this.pauseError = null;
  }

  /** When notifications come back, while they are paused at `now`. */
  pausedUntil(now: Timestamp): Timestamp | null {
    return pausedUntil(this.preferences, now);
  }

  private async setPause(minutes: number): Promise<boolean> {
    if (this.pausing !== null) return false;
    this.pausing = minutes > 0 ? 'pause' : 'resume';
    this.pauseError = null;
    try {
      const answer = await this.backend.pauseAlerts(minutes);
      this.seq++;
      this.apply(answer);
      return true;
    } catch (reason) {
      const what = minutes > 0 ? 'pause' : 'resume';
      this.pauseError = `Couldn't ${what} notifications: ${toBackendError(reason).message}`;
      return false;
    } finally {
      this.pausing = null;
    }
  }

  /** Takes new preferences; the form follows them unless the person has edited it. */
  private apply(preferences: AlertPreferences): void {
    const previous = this.preferences;
    const edited = this.draft !== null && previous !== null && draftChanged(this.draft, previous);
    this.preferences = preferences;
    this.load = READY;
    if (this.isOpen && !this.saving && !edited) this.draft = draftFrom(preferences);
  }
}
