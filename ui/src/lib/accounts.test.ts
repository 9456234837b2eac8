import { describe, expect, it, vi } from 'vitest';
import { Accounts } from './accounts.svelte';
import type { AccountView, SignInOutcome, SignInRequest } from './bindings';
import { account, unusedWorkspaceBackend } from './testFixtures';

function fakeBackend(list: AccountView[] = [account('mastodon:1@social.example')]) {
  const data = { list };
  const backend = {
    ...unusedWorkspaceBackend(),
    accounts: vi.fn(async () => data.list),
    addAccount: vi.fn(async (request: SignInRequest): Promise<SignInOutcome> => {
      const added = account(`${request.platform}:new`, { platform: request.platform, handle: '@new' });
      data.list = [...data.list, added];
      return { outcome: 'added', account: added };
    }),
    cancelSignIn: vi.fn(async () => undefined),
    confirmAccount: vi.fn(async (_pending: string, confirm: boolean) => {
      if (!confirm) return null;
      const added = account('bluesky:brand', { platform: 'bluesky', handle: 'brand.bsky.social' });
      data.list = [...data.list, added];
      return added;
    }),
    removeAccount: vi.fn(async (key: string) => (data.list = data.list.filter((a) => a.key !== key))),
  };
  return { backend, data };
}

describe('Accounts', () => {
  it('loads the list when the panel opens', async () => {
    const { backend } = fakeBackend();
    const accounts = new Accounts(backend);
    await accounts.open();
    expect(accounts.isOpen).toBe(true);
    expect(accounts.load.status).toBe('ready');
    expect(accounts.list.map((a) => a.key)).toEqual(['mastodon:1@social.example']);
    await accounts.toggle();
    expect(accounts.isOpen).toBe(false);
  });

  it('says why the list could not load', async () => {
    const { backend } = fakeBackend();
    backend.accounts.mockRejectedValueOnce({ code: 'storage', message: 'The database is busy.' });
    const accounts = new Accounts(backend);
    await accounts.open();
    expect(accounts.load).toMatchObject({ status: 'error', error: { message: 'The database is busy.' } });
  });

  it('removes an account only after the confirmation', async () => {
    const { backend } = fakeBackend();
    const accounts = new Accounts(backend);
    await accounts.open();
    const target = accounts.list[0]!;
    accounts.askRemove(target);
    expect(accounts.hasModal).toBe(true);
    accounts.cancelRemove();
    expect(backend.removeAccount).not.toHaveBeenCalled();

    accounts.askRemove(target);
    expect(await accounts.confirmRemove()).toBe(true);
    expect(backend.removeAccount).toHaveBeenCalledWith('mastodon:1@social.example');
    expect(accounts.list).toEqual([]);
    expect(accounts.removal).toBeNull();
    expect(accounts.notice).toContain('Removed @brand@social.example');
  });

  it('keeps the confirmation open with the reason when removing fails', async () => {
    const { backend } = fakeBackend();
    backend.removeAccount.mockRejectedValueOnce({ code: 'keychain', message: 'The keychain is locked.' });
    const accounts = new Accounts(backend);
    await accounts.open();
    accounts.askRemove(accounts.list[0]!);
    expect(await accounts.confirmRemove()).toBe(false);
    expect(accounts.removal).not.toBeNull();
    expect(accounts.removeError).toBe('The keychain is locked.');
  });

  it('adds a signed-in account to the list and says so', async () => {
    const { backend } = fakeBackend();
    const accounts = new Accounts(backend);
    await accounts.open();
    accounts.signIn.openForm('mastodon');
    accounts.signIn.edit({ instance: 'social.example' });
    expect(await accounts.signIn.submit()).toBe(true);
    expect(accounts.list.map((a) => a.key)).toContain('mastodon:new');
    expect(accounts.notice).toContain('Added @new');
    expect(accounts.signIn.formOpen).toBe(false);
  });

  it('Esc answers "no" to the brand-account question', async () => {
    const { backend } = fakeBackend();
    backend.addAccount.mockResolvedValueOnce({
      outcome: 'needs_confirmation',
      pending: 'p-1',
      platform: 'bluesky',
      handle: 'ana.bsky.social',
      display_name: 'Ana',
    });
    const accounts = new Accounts(backend);
    await accounts.open();
    accounts.signIn.openForm('bluesky');
    accounts.signIn.edit({ handle: 'ana.bsky.social', password: 'abcd-efgh-ijkl-mnop' });
    await accounts.signIn.submit();
    expect(accounts.hasModal).toBe(true);
    expect(accounts.closeModal()).toBe(true);
    await vi.waitFor(() => expect(accounts.signIn.confirmation).toBeNull());
    expect(backend.confirmAccount).toHaveBeenCalledWith('p-1', false);
    expect(accounts.list).toHaveLength(1);
  });
});
