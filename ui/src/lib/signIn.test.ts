import { describe, expect, it, vi } from 'vitest';
import type { AccountView, SignInOutcome, SignInRequest } from './bindings';
import { SignIn } from './signIn.svelte';
import { account, unusedWorkspaceBackend } from './testFixtures';

function setup() {
  const backend = {
    ...unusedWorkspaceBackend(),
    addAccount: vi.fn(async (request: SignInRequest): Promise<SignInOutcome> => ({
      outcome: 'added',
      account: account(`${request.platform}:1`, { platform: request.platform }),
    })),
    cancelSignIn: vi.fn(async () => undefined),
    confirmAccount: vi.fn(async (_pending: string, confirm: boolean) =>
      confirm ? account('bluesky:1', { platform: 'bluesky', handle: 'ana.bsky.social' }) : null,
    ),
  };
  const added: AccountView[] = [];
  const signIn = new SignIn(backend, (a) => added.push(a));
  return { backend, signIn, added };
}

/** A promise the test settles by hand. */
function deferred<T>() {
  let resolve: (value: T) => void = () => undefined;
  let reject: (reason: unknown) => void = () => undefined;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('SignIn', () => {
  it('sends a Mastodon sign-in and waits for the browser', async () => {
    const { backend, signIn, added } = setup();
    const answer = deferred<SignInOutcome>();
    backend.addAccount.mockReturnValueOnce(answer.promise);
    signIn.openForm('mastodon');
    signIn.edit({ instance: ' social.example ' });
    const done = signIn.submit();
    expect(signIn.phase).toBe('browser');
    expect(backend.addAccount).toHaveBeenCalledWith({ platform: 'mastodon', instance: 'social.example' });
    answer.resolve({ outcome: 'added', account: account('mastodon:1') });
    expect(await done).toBe(true);
    expect(signIn.phase).toBe('idle');
    expect(added.map((a) => a.key)).toEqual(['mastodon:1']);
  });

  it('forgets the app password as soon as it is sent, even when the sign-in fails', async () => {
    const { backend, signIn } = setup();
    const answer = deferred<SignInOutcome>();
    backend.addAccount.mockReturnValueOnce(answer.promise);
    signIn.openForm('bluesky');
    signIn.edit({ handle: '@brand.bsky.social', password: 'abcd-efgh-ijkl-mnop' });
    const done = signIn.submit();
    expect(backend.addAccount).toHaveBeenCalledWith({
      platform: 'bluesky',
      service: 'https://bsky.social',
      handle: 'brand.bsky.social',
      app_password: 'abcd-efgh-ijkl-mnop',
    });
    expect(signIn.draft.password, 'not kept while the sign-in runs').toBe('');
    expect(signIn.phase).toBe('signing_in');
    answer.reject({ code: 'platform', message: 'Wrong handle or app password.' });
    expect(await done).toBe(false);
    expect(signIn.draft.password).toBe('');
    expect(signIn.draft.handle, 'the rest stays for another try').toBe('@brand.bsky.social');
    expect(signIn.error).toMatchObject({ code: 'platform', message: 'Wrong handle or app password.' });
  });

  it('checks the form before asking the backend', async () => {
    const { backend, signIn } = setup();
    signIn.openForm('mastodon');
    expect(await signIn.submit()).toBe(false);
    expect(signIn.error).toMatchObject({ code: 'invalid_input', message: 'Enter the Mastodon server.' });
    expect(backend.addAccount).not.toHaveBeenCalled();
  });

  it('keeps the backend\'s code for the error style (not on the allowlist, no keychain)', async () => {
    const { backend, signIn } = setup();
    for (const code of ['not_allowed', 'keychain'] as const) {
      backend.addAccount.mockRejectedValueOnce({ code, message: `Words for ${code}.` });
      signIn.edit({ platform: 'mastodon', instance: 'social.example' });
      await signIn.submit();
      expect(signIn.error).toMatchObject({ code, message: `Words for ${code}.` });
    }
  });

  it('cancels a sign-in waiting for the browser and says it was cancelled, not failed', async () => {
    const { backend, signIn } = setup();
    const answer = deferred<SignInOutcome>();
    backend.addAccount.mockReturnValueOnce(answer.promise);
    backend.cancelSignIn.mockImplementationOnce(async () => {
      answer.reject({ code: 'platform', message: 'The sign-in was cancelled.' });
    });
    signIn.edit({ platform: 'mastodon', instance: 'social.example' });
    const done = signIn.submit();
    await signIn.cancel();
    expect(await done).toBe(false);
    expect(backend.cancelSignIn).toHaveBeenCalledTimes(1);
    expect(signIn.phase).toBe('idle');
    expect(signIn.cancelled).toBe(true);
    expect(signIn.error).toBeNull();
  });

  it('asks whether an account is a brand account, and adds it only when confirmed', async () => {
    const { backend, signIn, added } = setup();
    const needs: SignInOutcome = {
      outcome: 'needs_confirmation',
      pending: 'p-1',
      platform: 'bluesky',
      handle: 'ana.bsky.social',
      display_name: 'Ana',
    };
    backend.addAccount.mockResolvedValue(needs);
    signIn.edit({ platform: 'bluesky', handle: 'ana.bsky.social', password: 'pw' });
    await signIn.submit();
    expect(signIn.confirmation).toEqual({ pending: 'p-1', platform: 'bluesky', handle: 'ana.bsky.social', display_name: 'Ana' });
    expect(added).toEqual([]);

    expect(await signIn.confirm(false)).toBe(true);
    expect(backend.confirmAccount).toHaveBeenLastCalledWith('p-1', false);
    expect(signIn.confirmation).toBeNull();
    expect(added).toEqual([]);

    signIn.edit({ password: 'pw' });
    await signIn.submit();
    expect(await signIn.confirm(true)).toBe(true);
    expect(backend.confirmAccount).toHaveBeenLastCalledWith('p-1', true);
    expect(added.map((a) => a.handle)).toEqual(['ana.bsky.social']);
  });

  it('keeps the question open with the reason when the answer fails', async () => {
    const { backend, signIn } = setup();
    backend.addAccount.mockResolvedValueOnce({
      outcome: 'needs_confirmation',
      pending: 'p-2',
      platform: 'mastodon',
      handle: '@ana@social.example',
      display_name: 'Ana',
    });
    backend.confirmAccount.mockRejectedValueOnce({ code: 'not_found', message: 'That sign-in expired; start again.' });
    signIn.edit({ platform: 'mastodon', instance: 'social.example' });
    await signIn.submit();
    expect(await signIn.confirm(true)).toBe(false);
    expect(signIn.confirmation?.pending).toBe('p-2');
    expect(signIn.confirmError).toBe('That sign-in expired; start again.');
  });

  it('signs a Mastodon account in again straight away, and fills the form for Bluesky', async () => {
    const { backend, signIn } = setup();
    await signIn.signInAgain(account('mastodon:1', { service: 'https://social.example' }));
    expect(backend.addAccount).toHaveBeenCalledWith({ platform: 'mastodon', instance: 'https://social.example' });

    const bluesky = account('bluesky:1', { platform: 'bluesky', handle: 'brand.bsky.social', service: 'https://pds.example' });
    expect(await signIn.signInAgain(bluesky)).toBe(false);
    expect(backend.addAccount).toHaveBeenCalledTimes(1);
    expect(signIn.formOpen).toBe(true);
    expect(signIn.again?.key).toBe('bluesky:1');
    expect(signIn.draft).toMatchObject({ platform: 'bluesky', service: 'https://pds.example', handle: 'brand.bsky.social', password: '' });
  });

  it('drops the answer of an abandoned sign-in and cancels it', async () => {
    const { backend, signIn, added } = setup();
    const answer = deferred<SignInOutcome>();
    backend.addAccount.mockReturnValueOnce(answer.promise);
    signIn.edit({ platform: 'mastodon', instance: 'social.example' });
    const done = signIn.submit();
    signIn.abandon();
    expect(backend.cancelSignIn).toHaveBeenCalledTimes(1);
    answer.resolve({ outcome: 'added', account: account('mastodon:late') });
    expect(await done).toBe(false);
    expect(added).toEqual([]);
  });
});
