// Hiding comments in the thread (rendered to HTML): offered to leads on Facebook and Instagram comments only, the
// reason asked first, and a hidden comment greyed with who hid it and why.
import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import { ActionForms } from '../lib/actionForms.svelte';
import type { Thread, ThreadItem } from '../lib/bindings';
import { HidePrompt } from '../lib/hidePrompt.svelte';
import { ReplyDrafts } from '../lib/replyDrafts.svelte';
import { conversation, queueSummary, threadOf } from '../lib/testFixtures';
import HideItemControl from './HideItemControl.svelte';
import ThreadView from './ThreadView.svelte';

const noop = () => undefined;

function facebookThread(item: Partial<ThreadItem> = {}, kind: 'comment' | 'direct_message' = 'comment'): Thread {
  const base = threadOf(conversation(1, 'support', { platform: 'facebook', kind }));
  return { ...base, items: [{ ...base.items[0]!, kind, ...item }] };
}

function view(thread: Thread, leadOf: string[]) {
  return render(ThreadView, {
    props: {
      thread,
      load: { status: 'ready' },
      selectedId: thread.conversation.id,
      now: 10_000,
      onRetry: noop,
      queues: [queueSummary('support', 'Support')],
      forms: new ActionForms(),
      pending: null,
      busy: false,
      actionError: null,
      replies: new ReplyDrafts(),
      replyError: null,
      perform: async () => true,
      leadOf,
    },
  }).body;
}

describe('hiding in the thread', () => {
  it('offers "Hide from the Page" to a lead of the queue on a customer comment', () => {
    const html = view(facebookThread(), ['support']);
    expect(html).toContain('data-testid="hide-item"');
    expect(html).toContain('Hide from the Page…');
  });

  it('offers nothing to someone who does not lead the queue, nor on a message', () => {
    expect(view(facebookThread(), ['sales'])).not.toContain('data-testid="hide-item"');
    expect(view(facebookThread({}, 'direct_message'), ['support'])).not.toContain('data-testid="hide-item"');
  });

  it('greys a hidden comment with who hid it and why, and offers "Show again" to a lead', () => {
    const hidden = facebookThread({ hidden: true, hidden_by: 'Rosa', hidden_reason: 'spam' });
    const html = view(hidden, ['support']);
    expect(html).toMatch(/class="item[^"]*hidden/);
    expect(html).toContain('Hidden from the public by Rosa — spam');
    expect(html).toContain('data-testid="show-item"');
    expect(html).not.toContain('data-testid="hide-item"');
    // Everyone sees that it is hidden; only leads may show it again.
    const other = view(hidden, []);
    expect(other).toContain('Hidden from the public by Rosa — spam');
    expect(other).not.toContain('data-testid="show-item"');
  });

  it('asks for the reason (logged) before hiding, and says what is missing', () => {
    const prompt = new HidePrompt();
    prompt.open(10);
    prompt.problem = 'Say why it is hidden: the reason is logged with it.';
    const html = render(HideItemControl, {
      props: { itemId: 10, hidden: false, prompt, saving: false, busy: false, onHide: noop, onShow: noop },
    }).body;
    expect(html).toContain('data-testid="hide-reason"');
    expect(html).toContain('logged');
    expect(html).toContain('data-testid="hide-problem"');
    expect(html).toContain('Say why it is hidden');
  });
});
