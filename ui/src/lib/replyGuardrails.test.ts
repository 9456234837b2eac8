import { describe, expect, it, vi } from 'vitest';
import type { GuardrailFinding } from './bindings';
import type { ConversationAction } from './actions';
import { ReplyDrafts } from './replyDrafts.svelte';
import { ReplyGuardrails, type SendAnswers } from './replyGuardrails.svelte';
import { finding } from './testFixtures';

/** Timers run by hand. */
function manualTimers() {
  const pending = new Map<number, () => void>();
  let next = 0;
  return {
    timers: {
      set: (run: () => void) => {
        pending.set(++next, run);
        return next;
      },
      clear: (handle: unknown) => void pending.delete(handle as number),
    },
    runAll: () => {
      const runs = [...pending.values()];
      pending.clear();
      runs.forEach((run) => run());
    },
    count: () => pending.size,
  };
}

const PHONE_TEXT = 'Call me on +1 555 0100';
const phone = finding('phone_number', PHONE_TEXT, '+1 555 0100');

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('ReplyGuardrails while typing', () => {
  it('checks once typing pauses, and only the last text', async () => {
    const check = vi.fn(async (_id: number, text: string) => (text === PHONE_TEXT ? [phone] : []));
    const { timers, runAll, count } = manualTimers();
    const g = new ReplyGuardrails(check, 150, timers);
    g.typed(1, 'Call me');
    g.typed(1, PHONE_TEXT);
    expect(count()).toBe(1);
    expect(check).not.toHaveBeenCalled();
    runAll();
    await vi.waitFor(() => expect(g.findingsFor(1, PHONE_TEXT)).toEqual([phone]));
    expect(check).toHaveBeenCalledTimes(1);
    expect(check).toHaveBeenCalledWith(1, PHONE_TEXT);
    expect(g.findingsFor(2, PHONE_TEXT), 'another conversation').toEqual([]);
  });

  it('ignores an answer for an older text that arrives after a newer one', async () => {
    const slow = deferred<GuardrailFinding[]>();
    const check = vi.fn((_id: number, text: string) => (text === PHONE_TEXT ? slow.promise : Promise.resolve([])));
    const g = new ReplyGuardrails(check, 0, manualTimers().timers);
    const old = g.checkNow(1, PHONE_TEXT);
    await g.checkNow(1, 'Thanks!');
    slow.resolve([phone]);
    await old;
    expect(g.findingsFor(1, 'Thanks!')).toEqual([]);
    expect(g.findingsFor(1, PHONE_TEXT)).toEqual([]);
  });

  it('finds nothing when the check fails (the backend checks again at send)', async () => {
    const g = new ReplyGuardrails(async () => Promise.reject(new Error('down')), 0, manualTimers().timers);
    await expect(g.checkNow(1, PHONE_TEXT)).resolves.toEqual([]);
  });
});

describe('ReplyGuardrails at send', () => {
  function setup(findings: GuardrailFinding[]) {
    const g = new ReplyGuardrails(async () => findings, 0, manualTimers().timers);
    const deliveries: SendAnswers[] = [];
    let answer: { ok: boolean; refusal: string | null } = { ok: true, refusal: null };
    const deliver = async (answers: SendAnswers) => {
      deliveries.push(answers);
      return answer.ok;
    };
    const send = () => g.send(1, PHONE_TEXT, deliver, () => answer.refusal);
    return { g, deliveries, send, answerNext: (a: typeof answer) => (answer = a) };
  }

  it('sends a reply without findings at once', async () => {
    const { g, deliveries, send } = setup([]);
    await expect(send()).resolves.toBe(true);
    expect(deliveries).toEqual([{ sendAnyway: false, confirmedRules: null }]);
    expect(g.promptFor(1)).toBeNull();
  });

  it('asks about warnings first, and "Send anyway" sends with their rules confirmed', async () => {
    const tone = finding('calm_down', PHONE_TEXT, 'Call', { kind: 'tone' });
    const { g, deliveries, send } = setup([phone, tone]);
    await expect(send()).resolves.toBe(false);
    expect(deliveries).toEqual([]);
    expect(g.promptFor(1)).toMatchObject({ kind: 'confirm', findings: [phone, tone] });
    g.confirm(1);
    expect(g.promptFor(1)).toBeNull();
    await expect(send()).resolves.toBe(true);
    expect(deliveries).toEqual([{ sendAnyway: false, confirmedRules: ['phone_number', 'calm_down'] }]);
  });

  it('refuses a blocked reply and never sends it', async () => {
    const { g, deliveries, send } = setup([{ ...phone, action: 'block', message: 'No phone numbers, ever.' }]);
    await expect(send()).resolves.toBe(false);
    expect(g.promptFor(1)).toEqual({ kind: 'blocked', conversationId: 1, text: PHONE_TEXT, messages: ['No phone numbers, ever.'] });
    g.confirm(1);
    await send();
    expect(deliveries).toEqual([]);
  });

  it('forgets the prompt and the confirmation once the text changes', async () => {
    const { g, send } = setup([phone]);
    await send();
    g.typed(1, PHONE_TEXT + '!');
    expect(g.promptFor(1)).toBeNull();
    await send();
    g.confirm(1);
    expect(g.answersFor(1, PHONE_TEXT + '!')).toEqual({ sendAnyway: false, confirmedRules: null });
  });

  it('collision first, then guardrails: the last attempt carries both answers', async () => {
    const { g, deliveries, send } = setup([phone]);
    g.answerCollision(1, PHONE_TEXT); // the backend refused it for a collision; the person said send anyway
    await send();
    expect(g.promptFor(1)?.kind).toBe('confirm');
    g.confirm(1);
    await send();
    expect(deliveries).toEqual([{ sendAnyway: true, confirmedRules: ['phone_number'] }]);
  });

  it('guardrails first, then a collision: the resend keeps the confirmed rules', async () => {
    const { g, deliveries, send, answerNext } = setup([phone]);
    await send();
    g.confirm(1);
    answerNext({ ok: false, refusal: null }); // a collision: the collision prompt asks
    await send();
    g.answerCollision(1, PHONE_TEXT);
    answerNext({ ok: true, refusal: null });
    await send();
    expect(deliveries).toEqual([
      { sendAnyway: false, confirmedRules: ['phone_number'] },
      { sendAnyway: true, confirmedRules: ['phone_number'] },
    ]);
  });

  it('when the backend refuses it for its guardrails, checks again and asks', async () => {
    let findings: GuardrailFinding[] = [];
    const g = new ReplyGuardrails(async () => findings, 0, manualTimers().timers);
    const deliver = vi.fn(async () => false);
    findings = [];
    const checkAgain = () => {
      findings = [phone];
      return 'A phone number: confirm before sending.';
    };
    await expect(g.send(1, PHONE_TEXT, deliver, checkAgain)).resolves.toBe(false);
    expect(g.promptFor(1)).toMatchObject({ kind: 'confirm', findings: [phone] });
  });

  it('shows the backend\'s words when it refused and the window finds nothing to confirm', async () => {
    const g = new ReplyGuardrails(async () => [], 0, manualTimers().timers);
    await g.send(1, PHONE_TEXT, async () => false, () => 'Blocked by policy rule "no_phone".');
    expect(g.promptFor(1)).toMatchObject({ kind: 'blocked', messages: ['Blocked by policy rule "no_phone".'] });
  });
});

describe('ReplyGuardrails with the reply drafts', () => {
  it('"Send anyway" sends the same reply again with the same idempotency key and the confirmed rules', async () => {
    // The window's first check found nothing (the backend's check is newer): the backend refuses, the check runs
    // again and asks.
    const answers = [[], [phone], [phone]];
    const g = new ReplyGuardrails(async () => answers.shift() ?? [], 0, manualTimers().timers);
    let keys = 0;
    const replies = new ReplyDrafts(() => `key-${++keys}`);
    replies.edit(1, PHONE_TEXT + '  ');
    const actions: ConversationAction[] = [];
    const perform = vi.fn(async (_id: number, action: ConversationAction) => {
      actions.push(action);
      return actions.length > 1;
    });
    const deliver = (a: SendAnswers) => replies.send(1, 'mastodon', perform, { seenVersion: 4, ...a });
    const refusals: Array<string | null> = ['A phone number: confirm it first.'];
    const refusal = () => refusals.shift() ?? null;
    await expect(g.send(1, PHONE_TEXT, deliver, refusal)).resolves.toBe(false);
    expect(g.promptFor(1)?.kind).toBe('confirm');
    g.confirm(1);
    await expect(g.send(1, PHONE_TEXT, deliver, refusal)).resolves.toBe(true);
    expect(actions).toEqual([
      { type: 'reply', text: PHONE_TEXT, key: 'key-1', check: { seenVersion: 4, sendAnyway: false, confirmedRules: null } },
      { type: 'reply', text: PHONE_TEXT, key: 'key-1', check: { seenVersion: 4, sendAnyway: false, confirmedRules: ['phone_number'] } },
    ]);
    expect(replies.draft(1)).toBe('');
  });
});
