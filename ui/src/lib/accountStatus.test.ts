import { describe, expect, it } from 'vitest';
import { formatAgo, formatIn, signInErrorView, syncStatus } from './accountStatus';
import { BackendError } from './backend';
import { account } from './testFixtures';

const NOW = 10_000_000;
const MIN = 60_000;

describe('formatAgo and formatIn', () => {
  it('says how long ago in words', () => {
    expect(formatAgo(NOW - 3_000, NOW)).toBe('just now');
    expect(formatAgo(NOW - 40_000, NOW)).toBe('40 s ago');
    expect(formatAgo(NOW - 2 * MIN - 5_000, NOW)).toBe('2 min ago');
    expect(formatAgo(NOW - 3 * 60 * MIN, NOW)).toBe('3 h ago');
    expect(formatAgo(NOW + MIN, NOW), 'a clock slightly ahead').toBe('just now');
  });

  it('says how long until in words', () => {
    expect(formatIn(NOW - 1, NOW)).toBe('now');
    expect(formatIn(NOW + 30_000, NOW)).toBe('in 30 s');
    expect(formatIn(NOW + 2 * MIN + 1, NOW)).toBe('in 3 min');
    expect(formatIn(NOW + 120 * MIN, NOW)).toBe('in 2 h');
  });
});

describe('syncStatus', () => {
  it('describes an account that syncs fine', () => {
    const status = syncStatus(account('k', { sync: { last_pull_at: NOW - 2 * MIN, next_pull_at: NOW + 3 * MIN, budget_left: 1 } }).sync, NOW);
    expect(status).toMatchObject({
      tone: 'ok',
      label: 'Syncing',
      lastPull: 'Last pull 2 min ago',
      nextPull: 'Next pull in 3 min',
      budget: '1 call left in this rate-limit window',
      error: null,
      needsSignIn: false,
    });
  });

  it('says when it was never pulled and when the platform gives no budget', () => {
    const status = syncStatus(account('k', { sync: { last_pull_at: null, budget_left: null, next_pull_at: null } }).sync, NOW);
    expect(status).toMatchObject({ tone: 'waiting', label: 'Waiting for the first pull', lastPull: 'Not pulled yet', nextPull: null, budget: null });
  });

  it('shows a failing sync with the error, and a revoked sign-in above everything', () => {
    const failing = syncStatus(account('k', { sync: { error: 'The server answered 502.' } }).sync, NOW);
    expect(failing).toMatchObject({ tone: 'warning', label: 'Sync failing', error: 'The server answered 502.' });
    const signedOut = syncStatus(account('k', { sync: { error: 'Token revoked.', needs_sign_in: true } }).sync, NOW);
    expect(signedOut).toMatchObject({ tone: 'danger', label: 'Signed out — sign in again', needsSignIn: true, nextPull: null });
  });
});

describe('signInErrorView', () => {
  it('gives each failure its own title and tone', () => {
    expect(signInErrorView(new BackendError('not_allowed', 'x'))).toMatchObject({ tone: 'warning', title: expect.stringContaining('brand accounts') });
    expect(signInErrorView(new BackendError('keychain', 'x'))).toMatchObject({ tone: 'danger', title: 'No keychain to keep the sign-in' });
    expect(signInErrorView(new BackendError('platform', 'x')).title).toBe('The sign-in did not go through');
    expect(signInErrorView(new BackendError('invalid_input', 'x')).title).toBe('Check what you entered');
    expect(signInErrorView(new BackendError('storage', 'x')).title).toBe('Couldn’t add the account');
  });
});
