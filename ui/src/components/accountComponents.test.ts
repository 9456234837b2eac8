// The Accounts panel, the add-account form and the account dialogs, rendered to HTML (server-side, no DOM).
import { render } from 'svelte/server';
import { describe, expect, it, vi } from 'vitest';
import { Accounts } from '../lib/accounts.svelte';
import type { AccountView, SignInOutcome } from '../lib/bindings';
import { account, unusedWorkspaceBackend } from '../lib/testFixtures';
import AccountsPanel from './AccountsPanel.svelte';
import ConfirmBrandDialog from './ConfirmBrandDialog.svelte';
import RemoveAccountDialog from './RemoveAccountDialog.svelte';

const NOW = 1_000 + 2 * 60_000 + 5_000;
const HOSTILE = '<img src=x onerror=alert(1)><script>alert(2)</script>';

function fakeBackend(list: AccountView[]) {
  return {
    ...unusedWorkspaceBackend(),
    accounts: vi.fn(async () => list),
    addAccount: vi.fn((): Promise<SignInOutcome> => new Promise(() => undefined)),
    cancelSignIn: vi.fn(async () => undefined),
  };
}

async function opened(list: AccountView[] = [account('mastodon:1')], backend = fakeBackend(list)) {
  const accounts = new Accounts(backend);
  await accounts.open();
  return { accounts, backend };
}

function panel(accounts: Accounts, isDemo = false) {
  return render(AccountsPanel, { props: { accounts, isDemo, now: NOW } }).body;
}

describe('AccountsPanel', () => {
  it('lists each account with platform, name, handle, server and how it syncs', async () => {
    const { accounts } = await opened();
    const html = panel(accounts);
    expect(html).toMatch(/<aside[^>]*id="accounts-panel"[^>]*aria-label="Brand accounts"/);
    expect(html).toContain('data-account-key="mastodon:1"');
    expect(html).toContain('Mastodon');
    expect(html).toMatch(/data-testid="account-name"[^>]*>Brand</);
    expect(html).toMatch(/data-testid="account-handle"[^>]*>@brand@social.example</);
    expect(html).toContain('https://social.example');
    expect(html).toMatch(/data-testid="account-sync-state"[^>]*>.*Syncing<\/p>/s);
    expect(html).toContain('Last pull 2 min ago');
    expect(html).toContain('Next pull now');
    expect(html).toContain('290 calls left in this rate-limit window');
    expect(html).toMatch(/data-testid="account-remove"[^>]*>Remove…</);
    expect(html).not.toContain('account-sign-in-again');
  });

  it('shows a signed-out account clearly, with "Sign in again"', async () => {
    const { accounts } = await opened([account('mastodon:1', { sync: { needs_sign_in: true, error: 'The token was revoked.' } })]);
    const html = panel(accounts);
    expect(html).toContain('data-sync="danger"');
    expect(html).toContain('Signed out — sign in again');
    expect(html).toMatch(/data-testid="account-sync-error"[^>]*>\s*The token was revoked.\s*</);
    expect(html).toMatch(/data-testid="account-sign-in-again"[^>]*>Sign in again</);
  });

  it('explains the demo workspace needs no accounts, but still shows the panel', async () => {
    const { accounts } = await opened([]);
    const html = panel(accounts, true);
    expect(html).toContain('data-testid="accounts-demo-note"');
    expect(html).toContain('its simulated customers need no accounts');
    expect(html).toContain('data-testid="add-account"');
  });

  it('says when there are no accounts yet', async () => {
    const { accounts } = await opened([]);
    expect(panel(accounts)).toContain('data-testid="accounts-empty"');
  });

  it('offers Bluesky with the default server, a password field and the app-password hint', async () => {
    const { accounts } = await opened();
    accounts.signIn.openForm('bluesky');
    const html = panel(accounts);
    expect(html).toMatch(/data-testid="sign-in-platform-bluesky"[^>]*checked/);
    expect(html).toMatch(/data-testid="sign-in-service"[^>]*value="https:\/\/bsky.social"/);
    expect(html).toMatch(/type="password"[^>]*data-testid="sign-in-password"/);
    expect(html).toContain(
      'Use an app password from Settings → Privacy and security → App passwords, never your main password.',
    );
  });

  it('waits for the browser on a Mastodon sign-in, with Cancel', async () => {
    const { accounts } = await opened();
    accounts.signIn.openForm('mastodon');
    accounts.signIn.edit({ instance: 'social.example' });
    void accounts.signIn.submit();
    const html = panel(accounts);
    expect(html).toMatch(/data-testid="sign-in-waiting"[^>]*>.*Waiting for you to approve Switchboard in your browser…/s);
    expect(html).toMatch(/data-testid="sign-in-cancel"[^>]*>Cancel</);
    expect(html).toMatch(/data-testid="sign-in-submit"[^>]*disabled/);
  });

  it('styles a failed sign-in by its code and shows the backend\'s words', async () => {
    const backend = fakeBackend([]);
    const { accounts } = await opened([], backend);
    for (const [code, title] of [
      ['not_allowed', 'Not one of this workspace’s brand accounts'],
      ['keychain', 'No keychain to keep the sign-in'],
      ['platform', 'The sign-in did not go through'],
    ] as const) {
      backend.addAccount.mockRejectedValueOnce({ code, message: `Because ${HOSTILE}` });
      accounts.signIn.edit({ platform: 'mastodon', instance: 'social.example' });
      await accounts.signIn.submit();
      const html = panel(accounts);
      expect(html).toMatch(new RegExp(`data-testid="sign-in-error" data-code="${code}"`));
      expect(html).toContain(title);
      expect(html).toContain('Because &lt;img');
      expect(html).not.toContain('<img');
    }
  });
});

describe('ConfirmBrandDialog', () => {
  it('asks whether the account is a brand account, in the documented words', async () => {
    const backend = fakeBackend([]);
    backend.addAccount.mockResolvedValueOnce({
      outcome: 'needs_confirmation',
      pending: 'p-1',
      platform: 'mastodon',
      handle: '@ana@social.example',
      display_name: HOSTILE,
    });
    const { accounts } = await opened([], backend);
    accounts.signIn.edit({ platform: 'mastodon', instance: 'social.example' });
    await accounts.signIn.submit();
    const html = render(ConfirmBrandDialog, { props: { signIn: accounts.signIn } }).body;
    expect(html).toMatch(/role="dialog"[^>]*aria-modal="true"/);
    expect(html.replace(/<!--.*?-->/g, '').replace(/<[^>]*>/g, '').replace(/\s+/g, ' ')).toContain(
      'This workspace has no list of brand accounts yet. Is @ana@social.example a company brand account? Personal accounts do not belong in Switchboard.',
    );
    expect(html).toMatch(/data-testid="confirm-brand-yes"/);
    expect(html).toMatch(/data-testid="confirm-brand-cancel"/);
    expect(html).not.toContain('<img');
  });
});

describe('RemoveAccountDialog', () => {
  it('confirms the removal, naming the account and what happens', async () => {
    const { accounts } = await opened();
    accounts.askRemove(accounts.list[0]!);
    const html = render(RemoveAccountDialog, { props: { accounts } }).body;
    expect(html).toMatch(/id="remove-account-title"[^>]*>Remove @brand@social.example\?</);
    expect(html.replace(/\s+/g, ' ')).toContain('revokes its token where the platform allows');
    expect(html).toMatch(/data-testid="remove-account-confirm"[^>]*>Remove account</);
  });
});
