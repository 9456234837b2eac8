// The reply box and the replies still being sent, rendered to HTML (server-side, no DOM).
import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import { ActionForms } from '../lib/actionForms.svelte';
import type { ActionType } from '../lib/actions';
import type { GuardrailFinding, Thread } from '../lib/bindings';
import { ReplyDrafts } from '../lib/replyDrafts.svelte';
import { ReplyGuardrails } from '../lib/replyGuardrails.svelte';
import { conversation, finding, outgoingReply, queueSummary, threadOf } from '../lib/testFixtures';
import ThreadView from './ThreadView.svelte';

const NOW = 10_000_000;
const HOSTILE = '<img src=x onerror=alert(1)><script>alert(2)</script>';

function view(
  t: Thread,
  options: { replies?: ReplyDrafts; pending?: ActionType; replyError?: string; guardrails?: ReplyGuardrails; collision?: string } = {},
) {
  return render(ThreadView, {
    props: {
      thread: t,
      load: { status: 'ready' },
      selectedId: t.conversation.id,
      now: NOW,
      onRetry: () => undefined,
      queues: [queueSummary('support', 'Support')],
      forms: new ActionForms(),
      pending: options.pending ?? null,
      busy: options.pending !== undefined,
      actionError: null,
      replies: options.replies ?? new ReplyDrafts(),
      replyError: options.replyError ?? null,
      perform: async () => true,
      guardrails: options.guardrails,
      collision: options.collision ?? null,
    },
  }).body;
}

/** Guardrails whose check answers `findings`, already run on `text` of conversation 1. */
async function checked(text: string, findings: GuardrailFinding[]) {
  const guardrails = new ReplyGuardrails(async () => findings, 0, { set: () => 0, clear: () => undefined });
  await guardrails.checkNow(1, text);
  return guardrails;
}

/** The contents of each element with `testid`, in order. */
function texts(html: string, testid: string): string[] {
  return [...html.matchAll(new RegExp(`data-testid="${testid}"[^>]*>([^<]*)<`, 'g'))].map((m) => m[1]!);
}

describe('ReplyBox guardrails', () => {
  const TEXT = '🙂👍🏽 WhatsApp me at +34 600 000 000, calm down';
  const whatsapp = finding('messaging_app', TEXT, 'WhatsApp me', { message: 'A messaging app: keep the conversation here.' });
  const phone = finding('phone_number', TEXT, '+34 600 000 000', { message: 'A phone number: not a personal line.' });
  const tone = finding('calm_down', TEXT, 'calm down', { kind: 'tone', message: 'Sounds defensive: "calm down".' });

  function drafted() {
    const replies = new ReplyDrafts();
    replies.edit(1, TEXT);
    return replies;
  }

  it('lists each finding with its reason and highlights exactly its span behind the text (emoji before it)', async () => {
    const html = view(threadOf(conversation(1)), { replies: drafted(), guardrails: await checked(TEXT, [whatsapp, phone, tone]) });
    expect(texts(html, 'guardrail-finding')).toEqual([whatsapp.message, phone.message, tone.message]);
    expect(html).toMatch(/data-testid="guardrail-finding" data-rule="messaging_app"/);
    expect(texts(html, 'guardrail-span')).toEqual(['WhatsApp me', '+34 600 000 000', 'calm down']);
    expect(html).toMatch(/data-testid="guardrail-span" data-rule="phone_number"/);
    // The mirror holds the whole text, so the marks sit where the text is.
    const start = html.indexOf('<div', html.indexOf('class="field'));
    const mirror = html.slice(start, html.indexOf('</div>', start));
    expect(mirror.replace(/<!--[^]*?-->/g, '').replace(/<[^>]+>/g, '')).toBe(TEXT);
  });

  it('renders the reply and the reasons as text', async () => {
    const hostile = '<img src=x onerror=alert(1)>';
    const replies = new ReplyDrafts();
    replies.edit(1, hostile);
    const html = view(threadOf(conversation(1)), {
      replies,
      guardrails: await checked(hostile, [finding('x', hostile, 'img', { message: hostile })]),
    });
    expect(html).not.toContain('<img');
  });

  it('shows nothing for a text it has not checked, or for another conversation', async () => {
    const html = view(threadOf(conversation(2)), { guardrails: await checked(TEXT, [phone]) });
    expect(html).not.toContain('data-testid="guardrail-finding"');
    expect(html).not.toContain('data-testid="guardrail-span"');
  });

  it('asks before sending warnings: their reasons, Send anyway and Cancel', async () => {
    const guardrails = await checked(TEXT, [phone, tone]);
    await guardrails.send(1, TEXT, async () => true, () => null);
    const html = view(threadOf(conversation(1)), { replies: drafted(), guardrails });
    expect(html).toContain('data-testid="guardrail-confirm"');
    expect(html).toMatch(/<li data-rule="phone_number">\s*<q[^>]*>\+34 600 000 000<\/q>\s*A phone number: not a personal line\.\s*<\/li>/);
    expect(html).toMatch(/data-testid="guardrail-send-anyway"[^>]*>Send anyway</);
    expect(html).toMatch(/data-testid="guardrail-cancel"[^>]*>Cancel</);
    expect(html).not.toContain('data-testid="guardrail-blocked"');
  });

  it('refuses a blocked reply: says why, and Send is off', async () => {
    const block = { ...phone, action: 'block' as const, message: 'Phone numbers are never sent.' };
    const guardrails = await checked(TEXT, [block]);
    await guardrails.send(1, TEXT, async () => true, () => null);
    const html = view(threadOf(conversation(1)), { replies: drafted(), guardrails });
    expect(html).toMatch(/data-testid="guardrail-blocked"[\s\S]*Phone numbers are never sent\./);
    expect(html).not.toContain('data-testid="guardrail-send-anyway"');
    expect(html).toMatch(/data-testid="reply-send"[^>]*disabled/);
  });

  it('the collision prompt comes first while both ask', async () => {
    const guardrails = await checked(TEXT, [phone]);
    await guardrails.send(1, TEXT, async () => true, () => null);
    const html = view(threadOf(conversation(1)), { replies: drafted(), guardrails, collision: 'Bob replied 1 min ago.' });
    expect(html).toContain('data-testid="collision-prompt"');
    expect(html).not.toContain('data-testid="guardrail-confirm"');
  });
});

describe('ReplyBox', () => {
  it('is at the bottom of the thread, labelled, with Send disabled while empty', () => {
    const html = view(threadOf(conversation(1, 'support', { platform: 'bluesky' })));
    expect(html).toContain('data-testid="reply-box"');
    expect(html).toMatch(/<label[^>]*for="reply-input"[^>]*>Reply to Customer 1 on Bluesky<\/label>/);
    expect(html).toMatch(/<textarea id="reply-input"/);
    expect(html).toMatch(/data-testid="reply-send"[^>]*disabled[^>]*>Send reply</);
    expect(html).toMatch(/data-testid="reply-count"[^>]*>0 \/ 300</);
    expect(html.indexOf('data-testid="reply-box"')).toBeGreaterThan(html.indexOf('data-testid="thread-item"'));
  });

  it('keeps the conversation\'s draft, counts it, and enables Send', () => {
    const replies = new ReplyDrafts();
    replies.edit(1, 'Thanks <b>!</b>');
    const html = view(threadOf(conversation(1)), { replies });
    expect(html).toContain('Thanks &lt;b>!&lt;/b>');
    expect(html).toMatch(/data-testid="reply-count"[^>]*>15 \/ 500</);
    expect(html).not.toMatch(/data-testid="reply-send"[^>]*disabled/);
  });

  it('blocks a reply over a strict limit and says by how much', () => {
    const replies = new ReplyDrafts();
    replies.edit(1, 'x'.repeat(310));
    const html = view(threadOf(conversation(1, 'support', { platform: 'bluesky' })), { replies });
    expect(html).toMatch(/data-testid="reply-count"[^>]*>10 over the limit of 300</);
    expect(html).toMatch(/data-testid="reply-send"[^>]*disabled/);
  });

  it('counts against the thread\'s real limit when the backend sends it', () => {
    const replies = new ReplyDrafts();
    replies.edit(1, 'x'.repeat(600));
    const t = { ...threadOf(conversation(1)), reply_limit: { max: 1000, unit: 'characters' as const } };
    expect(view(t, { replies })).toMatch(/data-testid="reply-count"[^>]*>600 \/ 1000</);
  });

  it('shows "Sending…" and the failure of the last send', () => {
    const replies = new ReplyDrafts();
    replies.edit(1, 'Thanks!');
    const sending = view(threadOf(conversation(1)), { replies, pending: 'reply' });
    expect(sending).toMatch(/data-testid="reply-send"[^>]*disabled[^>]*>Sending…</);
    expect(sending).toMatch(/<textarea[^>]*readonly/);
    const failed = view(threadOf(conversation(1)), { replies, replyError: 'Sign in to @brand again.' });
    expect(failed).toMatch(/data-testid="reply-error"[^>]*>Sign in to @brand again.</);
  });
});

describe('OutgoingReplies', () => {
  it('shows a sending reply as "Sending…" and a failed one with its reason and Retry', () => {
    const t: Thread = {
      ...threadOf(conversation(1)),
      outgoing: [
        outgoingReply(7, 'On our way'),
        outgoingReply(8, 'Second try', { state: 'failed', error: 'Mastodon answered 503; try again.' }),
      ],
    };
    const html = view(t);
    expect(html.match(/data-testid="outgoing-reply"/g)).toHaveLength(2);
    expect(html).toMatch(/data-reply-id="7" data-state="sending"/);
    expect(html).toMatch(/data-testid="outgoing-state"[^>]*>Sending…</);
    expect(html).toMatch(/data-reply-id="8" data-state="failed"/);
    expect(html).toMatch(/data-testid="outgoing-error"[^>]*>Mastodon answered 503; try again.</);
    expect(html).toMatch(/data-testid="outgoing-retry"[^>]*>Retry</);
    expect(html.match(/data-testid="outgoing-retry"/g), 'only the failed one can be retried').toHaveLength(1);
  });

  it('shows a waiting reply with when it will be sent, and no Retry', () => {
    const why = 'Will send when Mastodon is reachable. Last try: the platform did not answer within 20 s.';
    const t: Thread = { ...threadOf(conversation(1)), outgoing: [outgoingReply(9, 'Soon', { state: 'waiting', error: why })] };
    const html = view(t);
    expect(html).toMatch(/data-reply-id="9" data-state="waiting"/);
    expect(html).toMatch(/data-testid="outgoing-state"[^>]*>Will send when Mastodon is reachable\. Last try: the platform/);
    expect(html).not.toMatch(/outgoing-retry/);
  });

  it('says "Retrying…" while a retry runs', () => {
    const t: Thread = { ...threadOf(conversation(1)), outgoing: [outgoingReply(8, 'x', { state: 'failed', error: 'e' })] };
    expect(view(t, { pending: 'retry_reply' })).toMatch(/data-testid="outgoing-retry"[^>]*disabled[^>]*>Retrying…</);
  });

  it('renders reply text and errors as text', () => {
    const t: Thread = {
      ...threadOf(conversation(1)),
      outgoing: [outgoingReply(8, HOSTILE, { state: 'failed', error: HOSTILE, by: HOSTILE })],
    };
    const html = view(t);
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<script');
  });

  it('shows nothing when no reply is on its way', () => {
    expect(view(threadOf(conversation(1)))).not.toContain('data-testid="outgoing-reply"');
  });
});
