// Adding Facebook Pages and Instagram accounts: one Meta sign-in with Facebook Login for Devices.
//
// - **app**: the company's Meta app, named by its App ID and client token (never its secret). They come from the
//   workspace policy, or are typed here once; the backend then keeps the App ID in the workspace's settings and the
//   client token in the system keychain only. The token is never shown back.
// - **code**: the short code the window shows; the person types it at facebook.com/device and approves there.
//   It stops working at `expires_at`.
// - **choices**: once approved, every Page the person manages and each Instagram account linked to one, with
//   what the workspace's allowlist says of it. The person ticks the ones to add.
// - **left out**: sentences from the backend saying which accounts Meta's answer did not include and why (an
//   Instagram permission the person did not grant, a Page without access); shown under the choices.
import { BackendError, toBackendError, type WorkspaceBackend } from './backend';
import type { AccountView, MetaAccountChoice, MetaAppSetup, MetaDeviceCode, SignInOutcome } from './bindings';

export type MetaPhase =
  /** Nothing read yet. */
  | 'idle'
  /** Reading the workspace's Meta app. */
  | 'loading'
  /** Ready to start: the app's fields when needed, and "Sign in with Facebook". */
  | 'ready'
  /** Asking Meta for a code. */
  | 'starting'
  /** The code shows; waiting for the person to approve it at facebook.com/device. */
  | 'waiting'
  /** Cancel was asked; waiting for the sign-in to stop. */
  | 'cancelling'
  /** Signed in: the Pages and Instagram accounts to choose from. */
  | 'choosing'
  /** Adding the chosen ones. */
  | 'adding'
  /** Done: what was added (and what waits for a confirmation). */
  | 'added';

/** Which step failed: a failed code or wait means starting again, a failed add can be tried again. */
export type MetaFailure = 'setup' | 'start' | 'wait' | 'add';

/** An account that signed in but must be confirmed as a brand account first (as `add_account`'s). */
export interface MetaPending {
  pending: string;
  platform: AccountView['platform'];
  handle: string;
  display_name: string;
}

/** Whether a choice can be ticked: refused and already added ones cannot. */
export function selectable(choice: MetaAccountChoice): boolean {
  return choice.verdict.verdict === 'allowed' || choice.verdict.verdict === 'needs_confirmation';
}

/** The words of a choice's verdict badge. */
export function verdictLabel(choice: MetaAccountChoice): string {
  switch (choice.verdict.verdict) {
    case 'allowed':
      return 'On the allowlist';
    case 'needs_confirmation':
      return 'Needs your confirmation';
    case 'refused':
      return `Not allowed: ${choice.verdict.reason}`;
    case 'already_added':
      return 'Already added';
    default:
      return String((choice.verdict as { verdict: unknown }).verdict);
  }
}

/** Why the App ID and client token cannot be sent as they are, or null. */
export function appProblem(appId: string, clientToken: string): string | null {
  const id = appId.trim();
  if (id === '') return 'Enter the App ID of your company’s Meta app.';
  if (!/^\d{5,20}$/.test(id)) return 'An App ID is a number, e.g. 1234567890123456 (App Dashboard → Settings → Basic).';
  const token = clientToken.trim();
  if (token === '') return 'Enter the app’s client token (App Dashboard → Settings → Advanced → Security → Client token).';
  if (/\s/.test(token)) return 'A client token has no spaces.';
  return null;
}

/**
 * What to do about accounts left out, or null when nothing was: a permission not granted is fixed by signing in
 * again and granting it; a Page without access, by its admin.
 */
export function leftOutHint(leftOut: readonly string[]): string | null {
  if (leftOut.length === 0) return null;
  const permission = leftOut.some((why) => /not granted|permission/i.test(why));
  const page = leftOut.some((why) => /\bPage\b.*\bleft out\b/.test(why));
  const hints: string[] = [];
  if (permission) {
    hints.push('To add them too, sign in again and grant every permission Switchboard asks for.');
  }
  if (page) {
    hints.push('A Page left out needs someone its admin gave a task that allows answering.');
  }
  return hints.length > 0 ? hints.join(' ') : 'Sign in again as someone who manages them to add them too.';
}

/** Whether a sign-in again (granting what was missing) could offer the accounts left out. */
export function leftOutForPermissions(leftOut: readonly string[]): boolean {
  return leftOut.some((why) => /not granted|permission/i.test(why));
}

/** Whether the window must ask for the App ID and client token (the policy names none, or one is missing). */
export function needsApp(setup: MetaAppSetup | null): boolean {
  return setup !== null && !setup.from_policy && (setup.app_id === null || !setup.has_client_token);
}

export interface MetaErrorView {
  tone: 'warning' | 'danger';
  /** A short title for the kind of failure. */
  title: string;
  /** What to do about it, beyond the backend's own message. */
  hint: string | null;
  /** The way on: start a new sign-in, try adding again, read the app again, or fix the fields. */
  action: 'start_again' | 'retry_add' | 'reload' | null;
}

/** How to show a failed Meta sign-in step. */
export function metaErrorView(error: BackendError, step: MetaFailure, expired: boolean): MetaErrorView {
  const words = error.message;
  if (step === 'wait' && expired) {
    return {
      tone: 'warning',
      title: 'The code expired',
      hint: 'A code works for a few minutes. Start again for a new one, then approve it at facebook.com/device.',
      action: 'start_again',
    };
  }
  if (/permission/i.test(words)) {
    return {
      tone: 'warning',
      title: 'A permission is missing',
      hint: 'Start again and approve every permission Switchboard asks for; it needs them to read and answer the Page’s comments and messages.',
      action: 'start_again',
    };
  }
  if (error.code === 'unreachable' || /reach|network|timed out|connect/i.test(words)) {
    return {
      tone: 'danger',
      title: 'Couldn’t reach Facebook',
      hint: 'Check the internet connection, then try again.',
      action: step === 'add' ? 'retry_add' : step === 'setup' ? 'reload' : 'start_again',
    };
  }
  if (error.code === 'invalid_input' && step === 'start') {
    return { tone: 'warning', title: 'Check what you entered', hint: null, action: null };
  }
  if (error.code === 'keychain') {
    return {
      tone: 'danger',
      title: 'No keychain to keep the sign-in',
      hint: 'Switchboard keeps sign-ins and the app’s client token only in the system keychain. Unlock it, then try again.',
      action: step === 'add' ? 'retry_add' : step === 'setup' ? 'reload' : 'start_again',
    };
  }
  const titles: Record<MetaFailure, string> = {
    setup: 'Couldn’t read the workspace’s Meta app',
    start: 'Facebook did not give a code',
    wait: 'The sign-in did not go through',
    add: 'Couldn’t add the accounts',
  };
  const actions: Record<MetaFailure, MetaErrorView['action']> = {
    setup: 'reload',
    start: 'start_again',
    wait: 'start_again',
    add: 'retry_add',
  };
  return { tone: 'danger', title: titles[step], hint: null, action: actions[step] };
}

/** A countdown as minutes and seconds: "9:05"; "0:00" once past. */
export function countdown(until: number, now: number): string {
  const left = Math.max(0, Math.ceil((until - now) / 1000));
  return `${Math.floor(left / 60)}:${String(left % 60).padStart(2, '0')}`;
}

/** A handle with one leading @. */
export function atHandle(handle: string): string {
  return `@${handle.replace(/^@+/, '')}`;
}

export class MetaSignIn {
  phase = $state.raw<MetaPhase>('idle');
  setup = $state.raw<MetaAppSetup | null>(null);
  /** The App ID typed (prefilled with the one known). */
  appId = $state('');
  /** The client token typed; cleared as soon as it is sent. */
  clientToken = $state('');
  code = $state.raw<MetaDeviceCode | null>(null);
  choices = $state.raw<MetaAccountChoice[]>([]);
  /** Sentences saying which accounts Meta's answer left out and why (shown under the choices). */
  leftOut = $state.raw<string[]>([]);
  /** The `choice`s ticked. */
  selected = $state.raw<string[]>([]);
  /** What `add_meta_accounts` answered, in the order asked. */
  outcomes = $state.raw<SignInOutcome[]>([]);
  error = $state.raw<BackendError | null>(null);
  failedAt = $state.raw<MetaFailure | null>(null);
  /** The last sign-in was cancelled by the person. */
  cancelled = $state(false);

  // Each step remembers its number; the answer of an abandoned one is dropped.
  private seq = 0;
  private cancelRequested = false;

  constructor(
    private readonly backend: WorkspaceBackend,
    /** Called with each account added. */
    private readonly onAdded: (account: AccountView) => void,
    /** Called with the accounts that must be confirmed as brand accounts first. */
    private readonly onConfirm: (pending: MetaPending[]) => void,
    /** The clock (tests pass their own). */
    private readonly clock: () => number = () => Date.now(),
  ) {}

  /** Whether a step runs that must not be interrupted by closing the form. */
  get busy(): boolean {
    return this.phase === 'starting' || this.phase === 'waiting' || this.phase === 'cancelling' || this.phase === 'adding';
  }

  /** Whether the App ID and client token fields show. */
  get asksForApp(): boolean {
    return needsApp(this.setup);
  }

  /** Whether the code is past its `expires_at`. */
  expiredAt(now: number): boolean {
    return this.code !== null && now >= this.code.expires_at;
  }

  /** Reads the workspace's Meta app (once per opening of the form). */
  async load(): Promise<void> {
    if (this.busy || this.phase === 'loading') return;
    const seq = ++this.seq;
    this.phase = 'loading';
    this.error = null;
    this.failedAt = null;
    try {
      const setup = await this.backend.metaAppSetup();
      if (seq !== this.seq) return;
      this.setup = setup;
      if (this.appId.trim() === '' && setup.app_id !== null) this.appId = setup.app_id;
      this.phase = 'ready';
    } catch (reason) {
      if (seq !== this.seq) return;
      this.phase = 'ready';
      this.fail('setup', reason);
    }
  }

  editApp(change: { appId?: string; clientToken?: string }): void {
    if (change.appId !== undefined) this.appId = change.appId;
    if (change.clientToken !== undefined) this.clientToken = change.clientToken;
    if (this.failedAt === 'start' && this.error?.code === 'invalid_input') this.clearError();
  }

  /** Asks Meta for a code, then waits for its approval; resolves once the choices show (or it failed). */
  async start(): Promise<boolean> {
    if (this.busy || this.setup === null) return false;
    let appId: string | null = null;
    let clientToken: string | null = null;
    if (this.asksForApp) {
      const problem = appProblem(this.appId, this.clientToken);
      if (problem !== null) {
        this.fail('start', new BackendError('invalid_input', problem));
        return false;
      }
      appId = this.appId.trim();
      clientToken = this.clientToken.trim();
    }
    // The client token goes to the backend (and its keychain) only; the form forgets it now.
    this.clientToken = '';
    const seq = ++this.seq;
    this.cancelRequested = false;
    this.clearError();
    this.cancelled = false;
    this.code = null;
    this.choices = [];
    this.leftOut = [];
    this.selected = [];
    this.outcomes = [];
    this.phase = 'starting';
    try {
      const code = await this.backend.startMetaSignIn(appId, clientToken);
      if (seq !== this.seq) return false;
      this.code = code;
      if (appId !== null) this.setup = { ...this.setup, app_id: appId, has_client_token: true };
    } catch (reason) {
      if (seq !== this.seq) return false;
      this.phase = 'ready';
      this.fail('start', reason);
      return false;
    }
    if (this.cancelRequested) {
      // Cancelled while the code was on its way: the backend forgets that login too.
      void this.backend.cancelSignIn().catch(() => undefined);
      this.stopped();
      return false;
    }
    this.phase = 'waiting';
    try {
      const { choices, left_out } = await this.backend.finishMetaSignIn();
      if (seq !== this.seq) return false;
      this.choices = choices;
      this.leftOut = left_out;
      this.selected = choices.filter((c) => c.verdict.verdict === 'allowed').map((c) => c.choice);
      this.phase = 'choosing';
      return true;
    } catch (reason) {
      if (seq !== this.seq) return false;
      if (this.cancelRequested) {
        this.stopped();
        return false;
      }
      this.phase = 'ready';
      this.fail('wait', reason);
      return false;
    }
  }

  /** Stops waiting for the approval. */
  async cancel(): Promise<void> {
    if (this.phase !== 'waiting' && this.phase !== 'starting') return;
    const seq = this.seq;
    this.cancelRequested = true;
    if (this.phase === 'starting') return; // stops once the code arrives
    this.phase = 'cancelling';
    try {
      await this.backend.cancelSignIn();
    } catch (reason) {
      if (seq !== this.seq || this.phase !== 'cancelling') return;
      this.cancelRequested = false;
      this.phase = 'waiting';
      this.error = toBackendError(reason);
    }
  }

  toggle(choice: string, on: boolean): void {
    const found = this.choices.find((c) => c.choice === choice);
    if (found === undefined || !selectable(found) || this.phase !== 'choosing') return;
    const rest = this.selected.filter((c) => c !== choice);
    this.selected = on ? [...rest, choice] : rest;
  }

  /** Adds the ticked accounts; the ones needing a confirmation go to the confirmation dialog. */
  async add(): Promise<boolean> {
    if (this.phase !== 'choosing' || this.selected.length === 0) return false;
    const seq = ++this.seq;
    const chosen = this.choices.filter((c) => this.selected.includes(c.choice)).map((c) => c.choice);
    this.phase = 'adding';
    this.clearError();
    let outcomes: SignInOutcome[];
    try {
      outcomes = await this.backend.addMetaAccounts(chosen);
    } catch (reason) {
      if (seq !== this.seq) return false;
      this.phase = 'choosing';
      this.fail('add', reason);
      return false;
    }
    if (seq !== this.seq) return false;
    this.outcomes = outcomes;
    this.phase = 'added';
    const pending: MetaPending[] = [];
    for (const outcome of outcomes) {
      if (outcome.outcome === 'added') this.onAdded(outcome.account);
      else pending.push({ pending: outcome.pending, platform: outcome.platform, handle: outcome.handle, display_name: outcome.display_name });
    }
    if (pending.length > 0) this.onConfirm(pending);
    return true;
  }

  /** Back to the start (after a failure, "Start again", or to add more). */
  reset(): void {
    if (this.busy) return;
    this.seq++;
    this.phase = this.setup === null ? 'idle' : 'ready';
    this.code = null;
    this.choices = [];
    this.leftOut = [];
    this.selected = [];
    this.outcomes = [];
    this.clientToken = '';
    this.cancelled = false;
    this.clearError();
  }

  /** The view is going away: drops the answer and stops a sign-in still waiting. */
  abandon(): void {
    const waiting = this.phase === 'waiting' || this.phase === 'starting';
    this.seq++;
    this.phase = this.setup === null ? 'idle' : 'ready';
    this.clientToken = '';
    this.code = null;
    if (waiting) void this.backend.cancelSignIn().catch(() => undefined);
  }

  /** Whether the last failure was the code running out (then the way on is "Start again"). */
  get expired(): boolean {
    return this.expiredFailure(this.clock());
  }

  /** Whether the last failure was the code running out, as of `now`. */
  expiredFailure(now: number): boolean {
    if (this.failedAt !== 'wait') return false;
    return this.expiredAt(now) || /expired/i.test(this.error?.message ?? '');
  }

  private stopped(): void {
    this.phase = 'ready';
    this.code = null;
    this.cancelled = true;
    this.cancelRequested = false;
  }

  private fail(step: MetaFailure, reason: unknown): void {
    this.error = toBackendError(reason);
    this.failedAt = step;
  }

  private clearError(): void {
    this.error = null;
    this.failedAt = null;
  }
}
