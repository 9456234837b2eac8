// Updates: looking for a signed update where the managed settings say (nothing is configured by default, so
// Switchboard never phones home), and installing it. What happened is shown in the backend's words.
import { toBackendError, type Backend } from './backend';
import type { UpdateView } from './bindings';

/** What the update status line says. */
export function updateStatusText(view: UpdateView): string {
  if (view.available !== null) {
    const version = `Version ${view.available} is available.`;
    return view.message ? `${version} ${view.message}` : version;
  }
  if (view.message) return view.message;
  return view.configured ? 'Switchboard is up to date.' : 'No update address is configured.';
}

export class Updates {
  /** The last answer; null until checked. */
  view = $state.raw<UpdateView | null>(null);
  /** What runs now. */
  busy = $state.raw<'check' | 'install' | null>(null);
  /** Why the last check or install failed, in words. */
  error = $state.raw<string | null>(null);

  /** The version that can be installed now, if any. */
  available = $derived(this.view?.available ?? null);

  constructor(private readonly backend: Pick<Backend, 'checkForUpdate' | 'installUpdate'>) {}

  check(): Promise<void> {
    return this.run('check', () => this.backend.checkForUpdate(), "Couldn't check for updates");
  }

  install(): Promise<void> {
    if (this.available === null) return Promise.resolve();
    return this.run('install', () => this.backend.installUpdate(), "Couldn't install the update");
  }

  private async run(operation: 'check' | 'install', call: () => Promise<UpdateView>, failure: string): Promise<void> {
    if (this.busy !== null) return;
    this.busy = operation;
    this.error = null;
    try {
      this.view = await call();
    } catch (reason) {
      this.error = `${failure}: ${toBackendError(reason).message}`;
    } finally {
      this.busy = null;
    }
  }
}
