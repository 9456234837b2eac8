// The saved-reply picker of the reply box and the Saved replies panel, rendered to HTML (server-side, no DOM).
import { render } from 'svelte/server';
import { describe, expect, it, vi } from 'vitest';
import { ReplyDrafts } from '../lib/replyDrafts.svelte';
import { SavedReplies } from '../lib/savedReplies.svelte';
import { SavedReplyPicker } from '../lib/savedReplyPicker.svelte';
import { conversation, queueSummary, savedReply, unusedWorkspaceBackend } from '../lib/testFixtures';
import ReplyBox from './ReplyBox.svelte';
import SavedRepliesPanel from './SavedRepliesPanel.svelte';

const HOSTILE = '<img src=x onerror=alert(1)>';
const refund = savedReply('r1', 'Refund on its way', 'Refund for {{order number}}.', { category: 'Orders' });
const outage = savedReply('r2', 'Outage apology', 'Sorry, the app is down.', { queues: ['support'] });
const old = savedReply('r3', 'Old text', 'Ta.', { archived: true });

function box(picker: SavedReplyPicker | null) {
  return render(ReplyBox, {
    props: {
      conversation: conversation(1, 'support'),
      replies: new ReplyDrafts(),
      sending: false,
      busy: false,
      error: null,
      perform: async () => true,
      picker,
    },
  }).body;
}

function picker(fill = vi.fn(async () => ({ text: 'x', missing: [] as string[] })), list = [refund, outage, old]) {
  return new SavedReplyPicker(() => list, fill);
}

describe('Saved replies in the reply box', () => {
  it('has the button (Ctrl+/) and no picker until opened', () => {
    const html = box(picker());
    expect(html).toMatch(/data-testid="saved-reply-button"[^>]*>Saved replies <kbd>Ctrl\+\/<\/kbd>/);
    expect(html).not.toContain('data-testid="saved-reply-search"');
    expect(box(null)).not.toContain('saved-reply-button');
  });

  it('opens on the search with the options, fitting ones first, the first one active, archived ones left out', () => {
    const p = picker();
    p.open();
    const html = box(p);
    expect(html).toContain('data-testid="saved-reply-search"');
    const ids = [...html.matchAll(/data-testid="saved-reply-option" data-id="([^"]+)"/g)].map((m) => m[1]);
    expect(ids).toEqual(['r2', 'r1']);
    expect(html).toMatch(/aria-selected="true"[^>]*data-testid="saved-reply-option" data-id="r2"/);
  });

  it('asks each missing placeholder by its name, with Insert', async () => {
    const p = picker(vi.fn(async () => ({ text: '', missing: ['order number'] })));
    p.open();
    await p.choose(1, refund);
    const html = box(p);
    expect(html).toMatch(/<span class="untrusted[^"]*">order number<\/span> <input[^>]*data-testid="saved-reply-placeholder" data-name="order number"/);
    expect(html).toMatch(/data-testid="saved-reply-insert"[^>]*>Insert</);
    expect(html).not.toContain('data-testid="saved-reply-search"');
  });

  it('renders saved replies as text', () => {
    const p = picker(undefined, [savedReply('h', HOSTILE, HOSTILE, { category: HOSTILE })]);
    p.open();
    expect(box(p)).not.toContain('<img');
  });
});

describe('SavedRepliesPanel', () => {
  async function panel(configure: (state: SavedReplies) => void = () => undefined) {
    const state = new SavedReplies({ ...unusedWorkspaceBackend(), savedReplies: async () => [refund, outage, old] });
    await state.open();
    configure(state);
    return render(SavedRepliesPanel, {
      props: { savedReplies: state, queues: [queueSummary('support', 'Support'), queueSummary('sales', 'Sales')] },
    }).body;
  }

  it('lists the saved replies, the archived ones apart with Restore', async () => {
    const html = await panel();
    expect(html).toContain('data-testid="saved-replies-panel"');
    expect(html.match(/data-testid="saved-reply-row"/g)).toHaveLength(3);
    const archivedList = html.slice(html.indexOf('data-testid="saved-replies-archived"'));
    expect(archivedList).toMatch(/data-id="r3"/);
    expect(archivedList).toMatch(/data-testid="saved-reply-archive"[^>]*>Restore</);
    expect(html.slice(0, html.indexOf('data-testid="saved-replies-archived"'))).toMatch(/data-testid="saved-reply-archive"[^>]*>Archive</);
    expect(html).toMatch(/data-testid="saved-reply-new"[^>]*>New saved reply</);
  });

  it('shows the form of a new one with its fields, and the backend\'s words', async () => {
    const html = await panel((s) => {
      s.startNew();
      s.error = 'Give the saved reply a title.';
    });
    for (const field of ['saved-reply-title', 'saved-reply-text', 'saved-reply-category', 'saved-reply-save', 'saved-reply-queue-support', 'saved-reply-platform-bluesky']) {
      expect(html).toContain(`data-testid="${field}"`);
    }
    expect(html).toMatch(/data-testid="saved-reply-form-error"[^>]*>Give the saved reply a title.</);
    expect(html).not.toContain('data-testid="saved-reply-new"');
  });

  it('edits a row in place, with its values', async () => {
    const html = await panel((s) => s.edit(refund));
    expect(html).toMatch(/data-testid="saved-reply-title"[^>]*value="Refund on its way"/);
    expect(html).toMatch(/data-testid="saved-reply-category"[^>]*value="Orders"/);
  });
});
