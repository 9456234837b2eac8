// Words for brand accounts: how their syncing goes, and what a failed sign-in means for the person.
import type { BackendError, BackendErrorCode } from './backend';
import type { AccountSync, Timestamp } from './bindings';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** How long ago, in words: "just now", "40 s ago", "2 min ago", "3 h ago", "2 d ago". */
export function formatAgo(at: Timestamp, now: Timestamp): string {
  const elapsed = Math.max(0, now - at);
  if (elapsed < 10 * SECOND) return 'just now';
  if (elapsed < MINUTE) return `${Math.floor(elapsed / SECOND)} s ago`;
  if (elapsed < HOUR) return `${Math.floor(elapsed / MINUTE)} min ago`;
  if (elapsed < DAY) return `${Math.floor(elapsed / HOUR)} h ago`;
  return `${Math.floor(elapsed / DAY)} d ago`;
}

/** How long until, in words: "now", "in 40 s", "in 3 min", "in 2 h". */
export function formatIn(at: Timestamp, now: Timestamp): string {
  const left = at - now;
  if (left <= 0) return 'now';
  if (left < MINUTE) return `in ${Math.ceil(left / SECOND)} s`;
  if (left < HOUR) return `in ${Math.ceil(left / MINUTE)} min`;
  if (left < DAY) return `in ${Math.round(left / HOUR)} h`;
  return `in ${Math.round(left / DAY)} d`;
}

export type SyncTone = 'ok' | 'waiting' | 'warning' | 'danger';

export interface SyncStatus {
  tone: SyncTone;
  /** The state in a few words (shown with its colour, never by colour alone). */
  label: string;
  /** "Last pull 2 min ago" or "Not pulled yet". */
  lastPull: string;
  /** "Next pull in 3 min", or null when none is planned. */
  nextPull: string | null;
  /** "290 calls left in this rate-limit window", or null when the platform does not say. */
  budget: string | null;
  /** The last failure, in the backend's words. */
  error: string | null;
  /** The sign-in was revoked or expired. */
  needsSignIn: boolean;
}

export function syncStatus(sync: AccountSync, now: Timestamp): SyncStatus {
  const base = {
    lastPull: sync.last_pull_at === null ? 'Not pulled yet' : `Last pull ${formatAgo(sync.last_pull_at, now)}`,
    nextPull: sync.next_pull_at === null || sync.needs_sign_in ? null : `Next pull ${formatIn(sync.next_pull_at, now)}`,
    budget:
      sync.budget_left === null
        ? null
        : `${sync.budget_left} ${sync.budget_left === 1 ? 'call' : 'calls'} left in this rate-limit window`,
    error: sync.error,
    needsSignIn: sync.needs_sign_in,
  };
  if (sync.needs_sign_in) return { ...base, tone: 'danger', label: 'Signed out — sign in again' };
  if (sync.error !== null) return { ...base, tone: 'warning', label: 'Sync failing' };
  if (sync.last_pull_at === null) return { ...base, tone: 'waiting', label: 'Waiting for the first pull' };
  return { ...base, tone: 'ok', label: 'Syncing' };
}

export interface SignInErrorView {
  tone: 'warning' | 'danger';
  /** A short title for the kind of failure. */
  title: string;
  /** What to do about it, beyond the backend's own message. */
  hint: string | null;
}

const SIGN_IN_ERRORS: Partial<Record<BackendErrorCode, SignInErrorView>> = {
  not_allowed: {
    tone: 'warning',
    title: 'Not one of this workspace’s brand accounts',
    hint: 'The workspace’s policy file lists the brand accounts it may use. Sign in with one of those, or ask whoever keeps the policy to add this one.',
  },
  keychain: {
    tone: 'danger',
    title: 'No keychain to keep the sign-in',
    hint: 'Switchboard keeps sign-ins only in the system keychain. Unlock it (or install one, such as GNOME Keyring or KWallet), then try again.',
  },
  platform: {
    tone: 'danger',
    title: 'The sign-in did not go through',
    hint: 'Check the server address and the password, and approve Switchboard when the browser asks.',
  },
  invalid_input: {
    tone: 'warning',
    title: 'Check what you entered',
    hint: null,
  },
  sign_in_again: {
    tone: 'warning',
    title: 'Sign in again',
    hint: null,
  },
  unreachable: {
    tone: 'danger',
    title: 'Switchboard’s backend is not responding',
    hint: null,
  },
};

/** How to show a failed sign-in: its tone, title and advice (the backend's message is shown as well). */
export function signInErrorView(error: BackendError): SignInErrorView {
  return SIGN_IN_ERRORS[error.code] ?? { tone: 'danger', title: 'Couldn’t add the account', hint: null };
}
