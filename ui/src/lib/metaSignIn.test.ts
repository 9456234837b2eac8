import { describe, expect, it, vi } from 'vitest';
import { BackendError } from './backend';
import type { AccountView, MetaAccountChoice, MetaAppSetup, MetaChoices, MetaDeviceCode, SignInOutcome } from './bindings';
import {
  appProblem,
  atHandle,
  countdown,
  leftOutForPermissions,
  leftOutHint,
  MetaSignIn,
  metaErrorView,
  needsApp,
  selectable,
  verdictLabel,
  type MetaPending,
} from './metaSignIn.svelte';
import { SignIn } from './signIn.svelte';
import { account, unusedWorkspaceBackend } from './testFixtures';

const NOW = 1_700_000_000_000;

function deferred<T>() {
  let resolve: (value: T) => void = () => undefined;
  let reject: (reason: unknown) => void = () => undefined;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const NO_APP: MetaAppSetup = { app_id: null, has_client_token: false, from_policy: false, human_agent_tag: false };
const POLICY_APP: MetaAppSetup = { app_id: '1234567890', has_client_token: true, from_policy: true, human_agent_tag: true };
const CODE: MetaDeviceCode = { user_code: 'ABCD-1234', verification_uri: 'https://www.facebook.com/device', expires_at: NOW + 420_000 };

function choice(id: string, overrides: Partial<MetaAccountChoice> = {}): MetaAccountChoice {
  return {
    choice: id,
    platform: 'facebook',
    account_id: id.replace(/\D/g, ''),
    handle: 'northwind',
    display_name: 'Northwind Coffee',
    linked_page: null,
    verdict: { verdict: 'allowed' },
    ...overrides,
  };
}

const CHOICES: MetaAccountChoice[] = [
  choice('page:1'),
  choice('ig:2', { platform: 'instagram', handle: 'northwind.coffee', linked_page: 'Northwind Coffee', verdict: { verdict: 'needs_confirmation' } }),
  choice('page:3', { display_name: 'Private page', verdict: { verdict: 'refused', reason: 'not on the allowlist' } }),
  choice('page:4', { verdict: { verdict: 'already_added' } }),
];
const LISTED: MetaChoices = { choices: CHOICES, left_out: [] };
const IG_LEFT_OUT = 'The Instagram account linked to the Pages is left out: instagram_manage_messages not granted.';
const PAGE_LEFT_OUT =
  'The Page “Careers” is left out: Meta gave no access to it for this person (they need a task on the Page that allows answering).';

function setup(app: MetaAppSetup = NO_APP) {
  const backend = {
    ...unusedWorkspaceBackend(),
    metaAppSetup: vi.fn(async () => app),
    startMetaSignIn: vi.fn(async (_appId: string | null, _token: string | null) => CODE),
    finishMetaSignIn: vi.fn(async (): Promise<MetaChoices> => LISTED),
    addMetaAccounts: vi.fn(
      async (choices: string[]): Promise<SignInOutcome[]> =>
        choices.map((c) => ({ outcome: 'added', account: account(`facebook:${c}`, { platform: 'facebook' }) })),
    ),
    cancelSignIn: vi.fn(async () => undefined),
  };
  const added: AccountView[] = [];
  const confirmations: MetaPending[][] = [];
  let now = NOW;
  const meta = new MetaSignIn(
    backend,
    (a) => added.push(a),
    (p) => confirmations.push(p),
    () => now,
  );
  return { backend, meta, added, confirmations, setNow: (t: number) => (now = t) };
}

describe('the helpers', () => {
  it('asks for the app only when the policy names none and one part is missing', () => {
    expect(needsApp(null)).toBe(false);
    expect(needsApp(NO_APP)).toBe(true);
    expect(needsApp({ ...NO_APP, app_id: '123456', has_client_token: false })).toBe(true);
    expect(needsApp({ ...NO_APP, app_id: '123456', has_client_token: true })).toBe(false);
    expect(needsApp({ ...NO_APP, from_policy: true })).toBe(false);
  });

  it('checks the App ID and client token before sending', () => {
    expect(appProblem('', 'abc')).toMatch(/Enter the App ID/);
    expect(appProblem('my app', 'abc')).toMatch(/An App ID is a number/);
    expect(appProblem('1234567890', ' ')).toMatch(/Settings → Advanced → Security → Client token/);
    expect(appProblem('1234567890', 'ab cd')).toMatch(/no spaces/);
    expect(appProblem(' 1234567890 ', ' 0123abcd ')).toBeNull();
  });

  it('labels each verdict; only allowed and needing-confirmation ones can be ticked', () => {
    expect(CHOICES.map(verdictLabel)).toEqual([
      'On the allowlist',
      'Needs your confirmation',
      'Not allowed: not on the allowlist',
      'Already added',
    ]);
    expect(CHOICES.map(selectable)).toEqual([true, true, false, false]);
  });

  it('says how to get the accounts left out: grant the permission, or ask the Page’s admin', () => {
    expect(leftOutHint([])).toBeNull();
    expect(leftOutHint([IG_LEFT_OUT])).toMatch(/sign in again and grant every permission/);
    expect(leftOutForPermissions([IG_LEFT_OUT])).toBe(true);
    expect(leftOutHint([PAGE_LEFT_OUT])).toMatch(/admin/);
    expect(leftOutForPermissions([PAGE_LEFT_OUT])).toBe(false);
    expect(leftOutHint([IG_LEFT_OUT, PAGE_LEFT_OUT])).toMatch(/grant every permission[\s\S]*admin/);
  });

  it('counts down in minutes and seconds, and writes one @', () => {
    expect(countdown(NOW + 545_000, NOW)).toBe('9:05');
    expect(countdown(NOW - 1, NOW)).toBe('0:00');
    expect(atHandle('@@brand')).toBe('@brand');
    expect(atHandle('brand')).toBe('@brand');
  });

  it('tells an expired code, a missing permission and a network failure apart', () => {
    expect(metaErrorView(new BackendError('platform', 'The code expired.'), 'wait', true)).toMatchObject({
      title: 'The code expired',
      action: 'start_again',
    });
    expect(
      metaErrorView(new BackendError('platform', 'the sign-in lacks a permission: pages_messaging'), 'wait', false),
    ).toMatchObject({ title: 'A permission is missing', action: 'start_again' });
    expect(metaErrorView(new BackendError('platform', 'Meta could not be reached: timed out'), 'add', false)).toMatchObject({
      title: 'Couldn’t reach Facebook',
      action: 'retry_add',
    });
    expect(metaErrorView(new BackendError('storage', 'Disk full.'), 'setup', false).action).toBe('reload');
    // The keychain holds the client token too: reading the app can fail on a locked one.
    expect(metaErrorView(new BackendError('keychain', 'The keychain is locked.'), 'setup', false)).toMatchObject({
      title: 'No keychain to keep the sign-in',
      action: 'reload',
    });
    // Declined in the browser: start again; a wrong App ID: fix the fields.
    expect(metaErrorView(new BackendError('invalid_input', 'the sign-in was declined at Facebook'), 'wait', false).action).toBe(
      'start_again',
    );
    expect(metaErrorView(new BackendError('invalid_input', 'Meta does not know this app'), 'start', false)).toMatchObject({
      title: 'Check what you entered',
      action: null,
    });
  });
});

describe('MetaSignIn', () => {
  it('reads the app, sends App ID and client token, shows the code, then the choices', async () => {
    const { backend, meta } = setup();
    await meta.load();
    expect(meta.phase).toBe('ready');
    expect(meta.asksForApp).toBe(true);
    meta.editApp({ appId: ' 1234567890 ', clientToken: ' s3cr3t-token ' });
    const finish = deferred<MetaChoices>();
    backend.finishMetaSignIn.mockReturnValueOnce(finish.promise);
    const done = meta.start();
    expect(meta.phase).toBe('starting');
    expect(meta.clientToken).toBe('');
    expect(backend.startMetaSignIn).toHaveBeenCalledWith('1234567890', 's3cr3t-token');
    await vi.waitFor(() => expect(meta.phase).toBe('waiting'));
    expect(meta.code).toEqual(CODE);
    expect(meta.busy).toBe(true);
    finish.resolve(LISTED);
    expect(await done).toBe(true);
    expect(meta.phase).toBe('choosing');
    // Only the allowlisted one is ticked at first.
    expect(meta.selected).toEqual(['page:1']);
    // The app is known now: starting again sends nothing.
    expect(meta.asksForApp).toBe(false);
    expect(meta.leftOut).toEqual([]);
  });

  it('keeps what Meta left out beside the choices, until the next sign-in', async () => {
    const { backend, meta } = setup(POLICY_APP);
    await meta.load();
    backend.finishMetaSignIn.mockResolvedValueOnce({ choices: [CHOICES[0]], left_out: [IG_LEFT_OUT] });
    expect(await meta.start()).toBe(true);
    expect(meta.phase).toBe('choosing');
    expect(meta.choices).toEqual([CHOICES[0]]);
    expect(meta.leftOut).toEqual([IG_LEFT_OUT]);
    const again = deferred<MetaChoices>();
    backend.finishMetaSignIn.mockReturnValueOnce(again.promise);
    meta.reset();
    expect(meta.leftOut).toEqual([]);
    const done = meta.start();
    await vi.waitFor(() => expect(meta.phase).toBe('waiting'));
    expect(meta.leftOut).toEqual([]);
    again.resolve(LISTED);
    expect(await done).toBe(true);
    expect(meta.leftOut).toEqual([]);
  });

  it('sends no app when the policy names it', async () => {
    const { backend, meta } = setup(POLICY_APP);
    await meta.load();
    expect(meta.asksForApp).toBe(false);
    expect(meta.appId).toBe('1234567890');
    await meta.start();
    expect(backend.startMetaSignIn).toHaveBeenCalledWith(null, null);
  });

  it('refuses a missing App ID without calling the backend', async () => {
    const { backend, meta } = setup();
    await meta.load();
    expect(await meta.start()).toBe(false);
    expect(backend.startMetaSignIn).not.toHaveBeenCalled();
    expect(meta.error).toMatchObject({ code: 'invalid_input' });
    meta.editApp({ appId: '1' });
    expect(meta.error).toBeNull();
  });

  it('ticks and unticks, never a refused or already added one, and adds what is ticked', async () => {
    const { backend, meta, added, confirmations } = setup(POLICY_APP);
    await meta.load();
    await meta.start();
    meta.toggle('ig:2', true);
    meta.toggle('page:3', true);
    meta.toggle('page:4', true);
    expect(meta.selected).toEqual(['page:1', 'ig:2']);
    backend.addMetaAccounts.mockResolvedValueOnce([
      { outcome: 'added', account: account('facebook:1', { platform: 'facebook' }) },
      { outcome: 'needs_confirmation', pending: 'p-2', platform: 'instagram', handle: '@northwind.coffee', display_name: 'Northwind' },
    ]);
    expect(await meta.add()).toBe(true);
    expect(backend.addMetaAccounts).toHaveBeenCalledWith(['page:1', 'ig:2']);
    expect(meta.phase).toBe('added');
    expect(added.map((a) => a.key)).toEqual(['facebook:1']);
    expect(confirmations).toEqual([[{ pending: 'p-2', platform: 'instagram', handle: '@northwind.coffee', display_name: 'Northwind' }]]);
  });

  it('cancels the wait for approval', async () => {
    const { backend, meta } = setup(POLICY_APP);
    await meta.load();
    const finish = deferred<MetaChoices>();
    backend.finishMetaSignIn.mockReturnValueOnce(finish.promise);
    backend.cancelSignIn.mockImplementationOnce(async () => {
      finish.reject({ code: 'platform', message: 'Cancelled.' });
      return undefined;
    });
    const done = meta.start();
    await vi.waitFor(() => expect(meta.phase).toBe('waiting'));
    await meta.cancel();
    expect(await done).toBe(false);
    expect(backend.cancelSignIn).toHaveBeenCalledTimes(1);
    expect(meta.phase).toBe('ready');
    expect(meta.cancelled).toBe(true);
    expect(meta.error).toBeNull();
    expect(meta.code).toBeNull();
  });

  it('an expired code fails the wait; Start again asks for a new code', async () => {
    const { backend, meta, setNow } = setup(POLICY_APP);
    await meta.load();
    backend.finishMetaSignIn.mockImplementationOnce(async () => {
      setNow(CODE.expires_at + 1);
      throw { code: 'platform', message: 'the code expired before it was approved; start again' };
    });
    expect(await meta.start()).toBe(false);
    expect(meta.failedAt).toBe('wait');
    expect(meta.expired).toBe(true);
    expect(metaErrorView(meta.error!, meta.failedAt!, meta.expired).action).toBe('start_again');
    meta.reset();
    expect(await meta.start()).toBe(true);
    expect(backend.startMetaSignIn).toHaveBeenCalledTimes(2);
  });

  it('a failed add keeps the choices to try again', async () => {
    const { backend, meta } = setup(POLICY_APP);
    await meta.load();
    await meta.start();
    backend.addMetaAccounts.mockRejectedValueOnce({ code: 'keychain', message: 'The keychain is locked.' });
    expect(await meta.add()).toBe(false);
    expect(meta.phase).toBe('choosing');
    expect(meta.failedAt).toBe('add');
    expect(await meta.add()).toBe(true);
  });

  it('abandoning while waiting stops the sign-in and drops the answer', async () => {
    const { backend, meta } = setup(POLICY_APP);
    await meta.load();
    const finish = deferred<MetaChoices>();
    backend.finishMetaSignIn.mockReturnValueOnce(finish.promise);
    const done = meta.start();
    await vi.waitFor(() => expect(meta.phase).toBe('waiting'));
    meta.abandon();
    expect(backend.cancelSignIn).toHaveBeenCalledTimes(1);
    finish.resolve(LISTED);
    expect(await done).toBe(false);
    expect(meta.choices).toEqual([]);
  });
});

describe('SignIn with Meta', () => {
  it('chooses Meta in the form (reading the app), and asks each confirmation in turn', async () => {
    const { backend } = setup(POLICY_APP);
    const both = {
      ...backend,
      confirmAccount: vi.fn(async (pending: string, confirm: boolean) =>
        confirm ? account(`instagram:${pending}`, { platform: 'instagram' }) : null,
      ),
    };
    const added: AccountView[] = [];
    const signIn = new SignIn(both, (a) => added.push(a));
    signIn.openForm('meta');
    expect(signIn.formPlatform).toBe('meta');
    await vi.waitFor(() => expect(signIn.meta.phase).toBe('ready'));
    await signIn.meta.start();
    both.addMetaAccounts.mockResolvedValueOnce([
      { outcome: 'needs_confirmation', pending: 'p-1', platform: 'instagram', handle: '@a', display_name: 'A' },
      { outcome: 'needs_confirmation', pending: 'p-2', platform: 'instagram', handle: '@b', display_name: 'B' },
    ]);
    await signIn.meta.add();
    expect(signIn.confirmation?.pending).toBe('p-1');
    await signIn.confirm(true);
    expect(signIn.confirmation?.pending).toBe('p-2');
    await signIn.confirm(false);
    expect(signIn.confirmation).toBeNull();
    expect(added.map((a) => a.key)).toEqual(['instagram:p-1']);
    // The form stays open on the outcomes.
    expect(signIn.formOpen).toBe(true);
    signIn.choosePlatform('bluesky');
    expect(signIn.formPlatform).toBe('bluesky');
  });

  it('"Sign in again" on a Page opens the Meta part of the form', async () => {
    const { backend } = setup(POLICY_APP);
    const signIn = new SignIn(backend, () => undefined);
    expect(await signIn.signInAgain(account('facebook:1', { platform: 'facebook' }))).toBe(false);
    expect(signIn.formOpen).toBe(true);
    expect(signIn.formPlatform).toBe('meta');
    await vi.waitFor(() => expect(signIn.meta.phase).toBe('ready'));
  });

  it('reads the Meta app afresh when the form opens again (the policy may have named one since)', async () => {
    const { backend } = setup(NO_APP);
    const signIn = new SignIn(backend, () => undefined);
    signIn.openForm('meta');
    await vi.waitFor(() => expect(signIn.meta.phase).toBe('ready'));
    expect(signIn.meta.asksForApp).toBe(true);
    signIn.closeForm();
    backend.metaAppSetup.mockResolvedValueOnce(POLICY_APP);
    signIn.openForm('meta');
    await vi.waitFor(() => expect(signIn.meta.setup).toEqual(POLICY_APP));
    expect(signIn.meta.asksForApp).toBe(false);
  });
});
