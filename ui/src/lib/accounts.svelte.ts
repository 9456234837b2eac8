// The open workspace's brand accounts: the list with how each syncs, the Accounts panel, removing one
// (after a confirmation) and adding one (through SignIn).
import { toBackendError, type WorkspaceBackend } from './backend';
import type { AccountView } from './bindings';
import type { LoadState } from './consoleState.svelte';
import { SignIn } from './signIn.svelte';

const IDLE: LoadState = { status: 'idle' };
const LOADING: LoadState = { status: 'loading' };
const READY: LoadState = { status: 'ready' };

export class Accounts {
  list = $state.raw<AccountView[]>([]);
  load = $state.raw<LoadState>(IDLE);
  /** Whether the Accounts panel is open. */
  isOpen = $state(false);
  /** What just happened, for the panel's status line ("Added @brand…"). */
  notice = $state.raw<string | null>(null);

  /** The account whose removal waits for the person's confirmation. */
  removal = $state.raw<AccountView | null>(null);
  removing = $state(false);
  removeError = $state.raw<string | null>(null);

  readonly signIn: SignIn;

  // Each read remembers its number; an answer older than the last write is dropped.
  private seq = 0;

  constructor(private readonly backend: WorkspaceBackend) {
    this.signIn = new SignIn(backend, (account) => this.added(account));
  }

  /** Loads the list, with "Loading…". */
  async start(): Promise<void> {
    const seq = ++this.seq;
    this.load = LOADING;
    try {
      const list = await this.backend.accounts();
      if (seq !== this.seq) return;
      this.list = list;
      this.load = READY;
    } catch (reason) {
      if (seq === this.seq) this.load = { status: 'error', error: toBackendError(reason) };
    }
  }

  /**
   * Live refresh (sync states move on): only once loaded, and only while the panel shows them or there are
   * accounts whose state the header reports; keeps the list on failure.
   */
  async refresh(): Promise<void> {
    if (this.load.status !== 'ready' || (!this.isOpen && this.list.length === 0)) return;
    const seq = ++this.seq;
    try {
      const list = await this.backend.accounts();
      if (seq === this.seq) this.list = list;
    } catch {
      // The list on screen stays; the console's own refresh reports the backend failing.
    }
  }

  async open(): Promise<void> {
    this.isOpen = true;
    this.notice = null;
    if (this.load.status === 'ready') await this.refresh();
    else if (this.load.status !== 'loading') await this.start();
  }

  /** Closes the panel; a sign-in waiting for the browser goes on (reopening shows it). */
  close(): void {
    this.isOpen = false;
    this.notice = null;
    this.signIn.closeForm();
  }

  async toggle(): Promise<void> {
    if (this.isOpen) this.close();
    else await this.open();
  }

  askRemove(account: AccountView): void {
    this.removal = account;
    this.removeError = null;
  }

  cancelRemove(): void {
    if (this.removing) return;
    this.removal = null;
    this.removeError = null;
  }

  /** Removes the account asked about: signs it out, revokes its token, deletes its keychain entry. */
  async confirmRemove(): Promise<boolean> {
    const account = this.removal;
    if (account === null || this.removing) return false;
    this.removing = true;
    this.removeError = null;
    try {
      const list = await this.backend.removeAccount(account.key);
      this.seq++;
      this.list = list;
      this.load = READY;
      this.removal = null;
      this.notice = `Removed ${account.handle}. Its sign-in was deleted from the keychain.`;
      return true;
    } catch (reason) {
      this.removeError = toBackendError(reason).message;
      return false;
    } finally {
      this.removing = false;
    }
  }

  /** Whether one of its dialogs shows (the confirmation of a removal, or of a brand account). */
  get hasModal(): boolean {
    return this.removal !== null || this.signIn.confirmation !== null;
  }

  /** Closes the topmost dialog; false when none was open. */
  closeModal(): boolean {
    if (this.removal !== null) {
      this.cancelRemove();
      return true;
    }
    if (this.signIn.confirmation !== null) {
      if (!this.signIn.confirming) void this.signIn.confirm(false);
      return true;
    }
    return false;
  }

  dispose(): void {
    this.signIn.abandon();
  }

  private added(account: AccountView): void {
    this.seq++;
    this.list = [...this.list.filter((a) => a.key !== account.key), account];
    this.notice = `Added ${account.handle}. Its conversations arrive with the next pull.`;
    void this.refresh();
  }
}
