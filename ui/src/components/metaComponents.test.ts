// The Meta parts of the window rendered to HTML (server-side, no DOM): the add-account form's Facebook Page /
// Instagram sign-in, the messaging window in the conversation row and the thread, the platform marks.
import { render } from 'svelte/server';
import { describe, expect, it, vi } from 'vitest';
import { Accounts } from '../lib/accounts.svelte';
import { ActionForms } from '../lib/actionForms.svelte';
import type { ConversationSummary, MetaAccountChoice, MetaAppSetup, MetaChoices, MetaDeviceCode, SignInOutcome, Thread } from '../lib/bindings';
import { ReplyDrafts } from '../lib/replyDrafts.svelte';
import { account, conversation, queueSummary, threadOf, unusedWorkspaceBackend } from '../lib/testFixtures';
import AccountsPanel from './AccountsPanel.svelte';
import ConversationList from './ConversationList.svelte';
import ThreadView from './ThreadView.svelte';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const NOW = new Date(2026, 11, 6, 11, 55).getTime();
const HOSTILE = '<img src=x onerror=alert(1)><script>alert(2)</script>';

const NO_APP: MetaAppSetup = { app_id: null, has_client_token: false, from_policy: false, human_agent_tag: false };
const POLICY_APP: MetaAppSetup = { app_id: '1234567890', has_client_token: true, from_policy: true, human_agent_tag: false };
const CODE: MetaDeviceCode = { user_code: 'ABCD-1234', verification_uri: 'https://www.facebook.com/device', expires_at: NOW + 9 * MINUTE + 5_000 };

const CHOICES: MetaAccountChoice[] = [
  { choice: 'page:1', platform: 'facebook', account_id: '1', handle: 'northwind', display_name: 'Northwind Coffee', linked_page: null, verdict: { verdict: 'allowed' } },
  {
    choice: 'ig:2',
    platform: 'instagram',
    account_id: '2',
    handle: 'northwind.coffee',
    display_name: HOSTILE,
    linked_page: 'Northwind Coffee',
    verdict: { verdict: 'needs_confirmation' },
  },
  { choice: 'page:3', platform: 'facebook', account_id: '3', handle: 'other', display_name: 'Other', linked_page: null, verdict: { verdict: 'refused', reason: 'not on the allowlist' } },
  { choice: 'page:4', platform: 'facebook', account_id: '4', handle: 'old', display_name: 'Old', linked_page: null, verdict: { verdict: 'already_added' } },
];
const LISTED: MetaChoices = { choices: CHOICES, left_out: [] };
const IG_LEFT_OUT = 'The Instagram account linked to the Pages is left out: instagram_manage_messages not granted.';

function fakeBackend(app: MetaAppSetup) {
  return {
    ...unusedWorkspaceBackend(),
    accounts: vi.fn(async () => [account('facebook:1', { platform: 'facebook', handle: '@northwind', service: 'https://www.facebook.com' })]),
    metaAppSetup: vi.fn(async () => app),
    startMetaSignIn: vi.fn(async () => CODE),
    finishMetaSignIn: vi.fn((): Promise<MetaChoices> => new Promise(() => undefined)),
    addMetaAccounts: vi.fn(async (): Promise<SignInOutcome[]> => []),
    cancelSignIn: vi.fn(async () => undefined),
  };
}

async function metaForm(app: MetaAppSetup = NO_APP) {
  const backend = fakeBackend(app);
  const accounts = new Accounts(backend);
  await accounts.open();
  accounts.signIn.openForm('meta');
  await vi.waitFor(() => expect(accounts.signIn.meta.phase).toBe('ready'));
  return { accounts, backend };
}

function panel(accounts: Accounts, now = NOW) {
  return render(AccountsPanel, { props: { accounts, isDemo: false, now } }).body;
}

describe('Add account: Facebook Page / Instagram', () => {
  it('is a choice of the form; without an app it asks for the App ID and client token, with where to find them', async () => {
    const { accounts } = await metaForm();
    const html = panel(accounts);
    expect(html).toMatch(/data-testid="sign-in-platform-meta"[^>]*checked/);
    expect(html).toContain('Facebook Page / Instagram');
    expect(html).toContain('data-testid="meta-app-id"');
    expect(html).toMatch(/type="password"[^>]*data-testid="meta-client-token"/);
    expect(html).toContain('App Dashboard → Settings → Advanced → Security → Client token');
    expect(html).toMatch(/data-testid="meta-start"[^>]*>Sign in with Facebook</);
    expect(html).not.toContain('data-testid="sign-in-instance"');
  });

  it('never shows the client token back', async () => {
    const { accounts } = await metaForm();
    accounts.signIn.meta.editApp({ appId: '1234567890', clientToken: 'tok-9f8e7d' });
    expect(panel(accounts)).toContain('tok-9f8e7d'); // still being typed
    void accounts.signIn.meta.start();
    expect(panel(accounts)).not.toContain('tok-9f8e7d');
  });

  it('with the app in the policy, asks nothing but says which app', async () => {
    const { accounts } = await metaForm(POLICY_APP);
    const html = panel(accounts);
    expect(html).not.toContain('data-testid="meta-app-id"');
    expect(html).toMatch(/data-testid="meta-app-known"[^>]*>[\s\S]*1234567890[\s\S]*named by the workspace policy/);
  });

  it('shows the code big with Copy, where to enter it, the time left, and Cancel', async () => {
    const { accounts } = await metaForm(POLICY_APP);
    void accounts.signIn.meta.start();
    await vi.waitFor(() => expect(accounts.signIn.meta.phase).toBe('waiting'));
    const html = panel(accounts);
    expect(html).toMatch(/data-testid="meta-code"[^>]*>ABCD-1234</);
    expect(html).toContain('data-testid="meta-copy-code"');
    expect(html).toMatch(/data-testid="meta-verification-uri"[^>]*>https:\/\/www.facebook.com\/device</);
    expect(html).toMatch(/data-testid="meta-code-left"[^>]*>The code works for 9:05 more\.</);
    expect(html).toContain('Waiting for approval…');
    expect(html).toMatch(/data-testid="meta-cancel"[^>]*>Cancel</);
    // Past its time: says so, with Start again.
    const later = panel(accounts, CODE.expires_at + 1);
    expect(later).toContain('data-testid="meta-code-expired"');
    expect(later).toMatch(/data-testid="meta-start-again"[^>]*>Start again</);
  });

  it('lists the choices with their verdicts; refused and already added ones cannot be ticked; names are text', async () => {
    const { accounts, backend } = await metaForm(POLICY_APP);
    backend.finishMetaSignIn.mockResolvedValueOnce(LISTED);
    await accounts.signIn.meta.start();
    const html = panel(accounts);
    const rows = html.split('data-testid="meta-choice"').slice(1);
    expect(rows).toHaveLength(4);
    expect(rows[0]).toMatch(/data-testid="meta-choice-check"[^>]*checked/);
    expect(rows[0]).toContain('Northwind Coffee');
    expect(rows[0]).toContain('@northwind');
    expect(rows[0]).toContain('On the allowlist');
    expect(rows[1]).toContain('Instagram');
    expect(rows[1]).toMatch(/data-testid="meta-choice-linked"[^>]*>linked to <bdi[^>]*>Northwind Coffee<\/bdi>/);
    expect(rows[1]).toContain('Needs your confirmation');
    expect(rows[1]).not.toMatch(/data-testid="meta-choice-check"[^>]*(checked|disabled)/);
    expect(rows[2]).toMatch(/data-testid="meta-choice-check"[^>]*disabled/);
    expect(rows[2]).toContain('Not allowed: not on the allowlist');
    expect(rows[3]).toMatch(/data-testid="meta-choice-check"[^>]*disabled/);
    expect(rows[3]).toContain('Already added');
    expect(html).toMatch(/data-testid="meta-add-selected"[^>]*>Add selected \(1\)</);
    expect(html).not.toContain(HOSTILE);
    expect(html).toContain('&lt;img src=x onerror=alert(1)>');
    expect(html).not.toContain('data-testid="meta-left-out"');
  });

  it('says under the choices which accounts Meta left out and why, and how to get them', async () => {
    const { accounts, backend } = await metaForm(POLICY_APP);
    backend.finishMetaSignIn.mockResolvedValueOnce({
      choices: CHOICES.filter((c) => c.platform === 'facebook'),
      left_out: [IG_LEFT_OUT, HOSTILE],
    });
    await accounts.signIn.meta.start();
    const html = panel(accounts);
    const choicesAt = html.indexOf('data-testid="meta-choice"');
    const leftOutAt = html.indexOf('data-testid="meta-left-out"');
    expect(choicesAt).toBeGreaterThan(-1);
    expect(leftOutAt).toBeGreaterThan(choicesAt);
    const reasons = html.split('data-testid="meta-left-out-reason"').slice(1);
    expect(reasons).toHaveLength(2);
    expect(reasons[0]).toContain(IG_LEFT_OUT);
    expect(html).not.toContain(HOSTILE);
    expect(html).toMatch(/data-testid="meta-left-out-hint"[^>]*>To add them too, sign in again and grant every permission/);
    expect(html).toMatch(/data-testid="meta-left-out-again"[^>]*>Sign in again</);
    // The Pages offered can still be added.
    expect(html).toMatch(/data-testid="meta-add-selected"[^>]*>Add selected \(1\)</);
  });

  it('shows what was added and what waits for a confirmation', async () => {
    const { accounts, backend } = await metaForm(POLICY_APP);
    backend.finishMetaSignIn.mockResolvedValueOnce(LISTED);
    await accounts.signIn.meta.start();
    accounts.signIn.meta.toggle('ig:2', true);
    backend.addMetaAccounts.mockResolvedValueOnce([
      { outcome: 'added', account: account('facebook:1', { platform: 'facebook', display_name: 'Northwind Coffee', handle: '@northwind' }) },
      { outcome: 'needs_confirmation', pending: 'p-2', platform: 'instagram', handle: '@northwind.coffee', display_name: 'Northwind IG' },
    ]);
    await accounts.signIn.meta.add();
    const html = panel(accounts);
    expect(html).toMatch(/data-testid="meta-outcome-added"[\s\S]*Added <bdi[^>]*>Northwind Coffee<\/bdi>/);
    expect(html).toMatch(/data-testid="meta-outcome-confirm"[\s\S]*Northwind IG<\/bdi> waits for your confirmation/);
    expect(html).toMatch(/data-testid="meta-done"[^>]*>Done</);
    expect(accounts.signIn.confirmation?.pending).toBe('p-2');
  });

  it('an expired code says so plainly, with Start again', async () => {
    const { accounts, backend } = await metaForm(POLICY_APP);
    backend.finishMetaSignIn.mockRejectedValueOnce({ code: 'platform', message: 'the code expired before it was approved; start again' });
    await accounts.signIn.meta.start();
    const html = panel(accounts);
    expect(html).toMatch(/data-testid="meta-error"[^>]*data-code="platform"/);
    expect(html).toContain('The code expired');
    expect(html).toMatch(/data-testid="meta-error-start-again"[^>]*>Start again</);
  });

  it('a missing permission says which and how to fix it', async () => {
    const { accounts, backend } = await metaForm(POLICY_APP);
    backend.finishMetaSignIn.mockRejectedValueOnce({ code: 'platform', message: 'the sign-in lacks a permission: pages_messaging' });
    await accounts.signIn.meta.start();
    const html = panel(accounts);
    expect(html).toContain('A permission is missing');
    expect(html).toContain('pages_messaging');
    expect(html).toContain('approve every permission');
  });

  it('shows the account list with the Facebook mark', async () => {
    const { accounts } = await metaForm(POLICY_APP);
    expect(panel(accounts)).toMatch(/data-testid="account-platform" data-platform="facebook"[^>]*><span class="mark[^"]*" aria-hidden="true">f<\/span>Facebook</);
  });
});

function list(conversations: ConversationSummary[], now = NOW) {
  return render(ConversationList, {
    props: {
      queue: { id: 'support', label: 'Support', color: '#000000' },
      conversations,
      load: { status: 'ready' },
      selectedId: null,
      now,
      onSelect: () => undefined,
      onRetry: () => undefined,
    },
  }).body;
}

const MESSENGER = (closesIn: number, tag: number | null = null) =>
  conversation(1, 'support', {
    platform: 'facebook',
    kind: 'direct_message',
    reply_window: { closes_at: NOW + closesIn, human_agent_until: tag === null ? null : NOW + tag },
  });

describe('The messaging window in the conversation list', () => {
  it('shows the time left, a warning under an hour, "Window closed" after', () => {
    expect(list([MESSENGER(3 * HOUR + 10 * MINUTE)])).toMatch(/data-testid="reply-window-badge"[^>]*data-phase="open"[^>]*>.*3 h left<\/span>/);
    expect(list([MESSENGER(45 * MINUTE)])).toMatch(/data-testid="reply-window-badge"[^>]*data-phase="closing"[^>]*>.*45 m left<\/span>/);
    expect(list([MESSENGER(-MINUTE)])).toMatch(/data-testid="reply-window-badge"[^>]*data-phase="closed"[^>]*>.*Window closed<\/span>/);
  });

  it('shows no window on a comment, and the platform with its mark', () => {
    const html = list([conversation(2, 'support', { platform: 'instagram', kind: 'comment' })]);
    expect(html).not.toContain('reply-window-badge');
    expect(html).toMatch(/data-testid="platform" data-platform="instagram"[^>]*>.*Instagram<\/span>/);
  });
});

function thread(t: Thread, now = NOW, replyError: string | null = null) {
  return render(ThreadView, {
    props: {
      thread: t,
      load: { status: 'ready' },
      selectedId: t.conversation.id,
      now,
      onRetry: () => undefined,
      queues: [queueSummary('support', 'Support')],
      forms: new ActionForms(),
      pending: null,
      busy: false,
      actionError: null,
      replies: drafted(),
      replyError,
      perform: async () => true,
    },
  }).body;
}

function drafted() {
  const replies = new ReplyDrafts();
  replies.edit(1, 'Thanks, we are on it');
  return replies;
}

describe('The messaging window in the thread', () => {
  it('says when it closes and how long is left, above the reply box', () => {
    const html = thread(threadOf(MESSENGER(2 * HOUR + 10 * MINUTE)));
    expect(html).toMatch(/data-testid="reply-window"[^>]*>\s*Messenger window closes at 14:05 \(2 h 10 m left\)\.\s*</);
    expect(html).not.toMatch(/data-testid="reply-send"[^>]*disabled/);
  });

  it('names the human-agent tag when the policy allows it', () => {
    const html = thread(threadOf(MESSENGER(2 * HOUR + 10 * MINUTE, 6 * 24 * HOUR)));
    expect(html).toMatch(/data-testid="reply-window"[^>]*>[^<]*after that, until [^<]*with the human-agent tag\./);
  });

  it('past the window: the reply box is disabled and says why in plain words', () => {
    const html = thread(threadOf(MESSENGER(-MINUTE)));
    expect(html).toMatch(/data-testid="reply-window-closed"[^>]*>[^<]*Messenger window closed at[^<]*only within 24 hours/);
    expect(html).toMatch(/<textarea[^>]*disabled/);
    expect(html).toMatch(/data-testid="reply-send"[^>]*disabled/);
  });

  it('shows the refusal of a send outside the window', () => {
    const words = 'The Messenger window closed: Meta accepts no reply more than 24 hours after the customer’s message.';
    const html = thread(threadOf(MESSENGER(30 * MINUTE)), NOW, words);
    expect(html).toMatch(/data-testid="reply-error"[^>]*>The Messenger window closed: Meta accepts/);
  });
});
