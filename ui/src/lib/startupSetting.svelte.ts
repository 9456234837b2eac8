// Starting Switchboard when the person logs in: the first run asks once ("Start Switchboard when you log in?"),
// and the App settings have a toggle. Both answer through `set_start_at_login`, which also records that the
// person was asked.
import { toBackendError, type Backend } from './backend';
import type { StartupView } from './bindings';

export class StartupSetting {
  /** The last answer; null until read (or when reading failed). */
  view = $state.raw<StartupView | null>(null);
  /** A change being saved. */
  saving = $state(false);
  /** Why the last change failed, in words. */
  error = $state.raw<string | null>(null);
  /** Answered in this window (the question hides at once, even before the backend answers). */
  private answered = $state(false);

  /** Whether to ask the first-run question: it can start at login and the person was never asked. */
  shouldAsk = $derived(this.view !== null && this.view.available && !this.view.asked && !this.answered);

  constructor(private readonly backend: Pick<Backend, 'startupSettings' | 'setStartAtLogin'>) {}

  async load(): Promise<void> {
    try {
      this.view = await this.backend.startupSettings();
    } catch {
      this.view = null; // nothing to ask or toggle when the backend cannot say
    }
  }

  /** The answer to the first-run question. */
  answer(enabled: boolean): Promise<void> {
    this.answered = true;
    return this.set(enabled);
  }

  /** Turns starting at login on or off. */
  async set(enabled: boolean): Promise<void> {
    if (this.saving) return;
    this.saving = true;
    this.error = null;
    try {
      this.view = await this.backend.setStartAtLogin(enabled);
    } catch (reason) {
      this.error = `Couldn't change starting at login: ${toBackendError(reason).message}`;
    } finally {
      this.saving = false;
    }
  }
}
