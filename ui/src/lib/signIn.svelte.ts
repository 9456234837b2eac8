// Adding a brand account: the form, the sign-in (for Mastodon, waiting while the person approves in the
// browser, with Cancel), the "is this a brand account?" question, and failures with the backend's code.
// The app password lives in the form only until it is sent. Facebook Pages and Instagram sign in through
// `MetaSignIn` (a code approved at facebook.com/device), chosen in the same form.
import { BackendError, toBackendError, type WorkspaceBackend } from './backend';
import type { AccountView, Platform, SignInOutcome } from './bindings';
import { MetaSignIn, type MetaPending } from './metaSignIn.svelte';
import { EMPTY_SIGN_IN, signInProblem, signInRequestFrom, type SignInDraft, type SignInPlatform } from './signInRequest';

/** An account that signed in but must be confirmed as a brand account first. */
export interface PendingConfirmation {
  pending: string;
  platform: Platform;
  handle: string;
  display_name: string;
}

/** What the form's platform choice can be: a `SignInRequest` platform, or Meta (Facebook Pages and Instagram). */
export type FormPlatform = SignInPlatform | 'meta';

export type SignInPhase =
  | 'idle'
  /** Mastodon: waiting for the person to approve Switchboard in the browser. */
  | 'browser'
  /** Bluesky: checking the app password. */
  | 'signing_in'
  /** Cancel was asked; waiting for the sign-in to stop. */
  | 'cancelling';

export class SignIn {
  /** Whether the "Add account" form shows. */
  formOpen = $state(false);
  draft = $state.raw<SignInDraft>({ ...EMPTY_SIGN_IN });
  /** The account being signed in again, when the form was opened for that. */
  again = $state.raw<AccountView | null>(null);
  phase = $state.raw<SignInPhase>('idle');
  /** Why the last sign-in failed (its code picks the style). */
  error = $state.raw<BackendError | null>(null);
  /** The last sign-in was cancelled by the person. */
  cancelled = $state(false);

  /** Facebook Page / Instagram is chosen in the form (its own sign-in, `meta`). */
  metaChosen = $state(false);
  readonly meta: MetaSignIn;

  confirmation = $state.raw<PendingConfirmation | null>(null);
  /** Further accounts waiting for the same question, after `confirmation`. */
  private queued: PendingConfirmation[] = [];
  confirming = $state(false);
  confirmError = $state.raw<string | null>(null);

  // Each sign-in remembers its number; the answer of an abandoned one is dropped.
  private seq = 0;
  private cancelRequested = false;

  constructor(
    private readonly backend: WorkspaceBackend,
    /** Called with an account once it is added (directly or after the confirmation). */
    private readonly onAdded: (account: AccountView) => void,
  ) {
    this.meta = new MetaSignIn(backend, onAdded, (pending) => this.askConfirmations(pending));
  }

  get busy(): boolean {
    return this.phase !== 'idle' || this.meta.busy;
  }

  /** The platform chosen in the form. */
  get formPlatform(): FormPlatform {
    return this.metaChosen ? 'meta' : this.draft.platform;
  }

  openForm(platform: FormPlatform = this.formPlatform): void {
    this.formOpen = true;
    this.again = null;
    this.error = null;
    this.cancelled = false;
    this.choosePlatform(platform);
  }

  /** Picks the form's platform; Meta reads the workspace's Meta app first. */
  choosePlatform(platform: FormPlatform): void {
    if (platform === 'meta') {
      this.metaChosen = true;
      this.error = null;
      this.cancelled = false;
      // Read afresh each time: the policy's [meta] may have changed since.
      if (this.meta.phase === 'idle' || this.meta.phase === 'ready') void this.meta.load();
      return;
    }
    this.metaChosen = false;
    if (platform !== this.draft.platform) this.edit({ platform });
  }

  /** Closes the form (not while a sign-in runs); what was typed, except the password, stays. */
  closeForm(): void {
    if (this.busy) return;
    this.formOpen = false;
    this.again = null;
    this.error = null;
    this.cancelled = false;
    this.draft = { ...this.draft, password: '' };
    this.meta.reset();
  }

  edit(change: Partial<SignInDraft>): void {
    this.draft = { ...this.draft, ...change };
    if (change.platform !== undefined) this.metaChosen = false;
    this.error = null;
    this.cancelled = false;
  }

  /**
   * Signs an account in again after it was signed out: Mastodon goes straight to the browser; Bluesky
   * opens the form filled in, waiting for a new app password; a Facebook Page or Instagram account opens the
   * form's Meta part (sign in with Facebook again, then add it again).
   */
  async signInAgain(account: AccountView): Promise<boolean> {
    if (this.busy) return false;
    if (account.platform === 'mastodon') {
      this.draft = { ...EMPTY_SIGN_IN, platform: 'mastodon', instance: account.service };
    } else if (account.platform === 'bluesky') {
      this.draft = {
        ...EMPTY_SIGN_IN,
        platform: 'bluesky',
        service: account.service,
        handle: account.handle.replace(/^@/, ''),
      };
    } else if (account.platform === 'facebook' || account.platform === 'instagram') {
      // One Meta sign-in renews every Page and Instagram account: the form's Meta part, from the start.
      this.meta.reset();
      this.openForm('meta');
      return false;
    } else {
      return false;
    }
    this.formOpen = true;
    this.again = account;
    this.error = null;
    this.cancelled = false;
    return account.platform === 'mastodon' ? this.submit() : false;
  }

  /** Sends the form. Resolves with whether an account was added (or waits for the confirmation). */
  async submit(): Promise<boolean> {
    if (this.busy) return false;
    const draft = this.draft;
    const problem = signInProblem(draft);
    if (problem !== null) {
      this.error = new BackendError('invalid_input', problem);
      return false;
    }
    const request = signInRequestFrom(draft);
    // The password goes to the backend (and its keychain) only; the form forgets it now.
    this.draft = { ...draft, password: '' };
    const seq = ++this.seq;
    this.cancelRequested = false;
    this.phase = request.platform === 'mastodon' ? 'browser' : 'signing_in';
    this.error = null;
    this.cancelled = false;
    let outcome: SignInOutcome;
    try {
      outcome = await this.backend.addAccount(request);
    } catch (reason) {
      if (seq !== this.seq) return false;
      this.phase = 'idle';
      if (this.cancelRequested) this.cancelled = true;
      else this.error = toBackendError(reason);
      return false;
    }
    if (seq !== this.seq) return false;
    this.phase = 'idle';
    if (outcome.outcome === 'added') {
      this.finish(outcome.account);
      return true;
    }
    this.confirmation = {
      pending: outcome.pending,
      platform: outcome.platform,
      handle: outcome.handle,
      display_name: outcome.display_name,
    };
    this.confirmError = null;
    return true;
  }

  /** Stops a sign-in waiting for the browser. */
  async cancel(): Promise<void> {
    if (this.phase !== 'browser' && this.phase !== 'signing_in') return;
    const seq = this.seq;
    this.cancelRequested = true;
    this.phase = 'cancelling';
    try {
      await this.backend.cancelSignIn();
    } catch (reason) {
      if (seq !== this.seq || this.phase !== 'cancelling') return;
      // The sign-in keeps waiting; say why it could not be stopped.
      this.cancelRequested = false;
      this.phase = 'browser';
      this.error = toBackendError(reason);
    }
  }

  /** Answers "is this a brand account?". */
  async confirm(yes: boolean): Promise<boolean> {
    const confirmation = this.confirmation;
    if (confirmation === null || this.confirming) return false;
    this.confirming = true;
    this.confirmError = null;
    try {
      const account = await this.backend.confirmAccount(confirmation.pending, yes);
      if (this.confirmation !== confirmation) return false;
      this.confirmation = this.queued.shift() ?? null;
      if (account !== null) {
        if (this.metaChosen) this.onAdded(account);
        else this.finish(account);
      }
      return true;
    } catch (reason) {
      if (this.confirmation === confirmation) this.confirmError = toBackendError(reason).message;
      return false;
    } finally {
      this.confirming = false;
    }
  }

  /** The view is going away (a workspace switch): drops the answer and stops a sign-in still waiting. */
  abandon(): void {
    const waiting = this.phase === 'browser' || this.phase === 'signing_in';
    this.seq++;
    this.phase = 'idle';
    this.draft = { ...this.draft, password: '' };
    if (waiting) void this.backend.cancelSignIn().catch(() => undefined);
    this.meta.abandon();
  }

  /** Asks "is this a brand account?" of each, one after the other. */
  private askConfirmations(pending: MetaPending[]): void {
    const [first, ...rest] = pending;
    if (first === undefined) return;
    if (this.confirmation === null) {
      this.confirmation = first;
      this.queued = [...this.queued, ...rest];
    } else {
      this.queued = [...this.queued, first, ...rest];
    }
    this.confirmError = null;
  }

  private finish(account: AccountView): void {
    this.formOpen = false;
    this.again = null;
    this.draft = { ...EMPTY_SIGN_IN, platform: this.draft.platform };
    this.onAdded(account);
  }
}
