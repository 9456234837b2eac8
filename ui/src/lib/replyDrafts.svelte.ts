// The reply box of each conversation: what is typed (kept per conversation until it is sent, and through a
// failed send), sending it, and retrying a reply that failed.
import type { Perform } from './actionForms.svelte';
import type { CollisionCheck } from './backend';
import type { Platform, ReplyLimit } from './bindings';
import { newReplyKey } from './replyKey';
import { replyProblem } from './replyText';

export class ReplyDrafts {
  private drafts = $state.raw<Readonly<Record<number, string>>>({});
  /** A problem found before asking the backend (an empty reply), for the conversation it is about. */
  private problem = $state.raw<{ conversationId: number; message: string } | null>(null);
  /**
   * The key of the reply last sent per conversation, with its text: sending the same text again (its first answer
   * was lost, or it failed) reuses the key, so the backend queues it once; another text is another reply.
   */
  private keys = new Map<number, { text: string; key: string }>();
  /** Told of every change the person types (presence: "replying"). */
  onTyped: ((conversationId: number, text: string) => void) | null = null;

  constructor(private readonly mintKey: () => string = () => newReplyKey()) {}

  draft(conversationId: number): string {
    return this.drafts[conversationId] ?? '';
  }

  edit(conversationId: number, text: string): void {
    const next = { ...this.drafts };
    if (text === '') delete next[conversationId];
    else next[conversationId] = text;
    this.drafts = next;
    if (this.problem?.conversationId === conversationId) this.problem = null;
    this.onTyped?.(conversationId, text);
  }

  problemFor(conversationId: number | null): string | null {
    return this.problem !== null && this.problem.conversationId === conversationId ? this.problem.message : null;
  }

  /**
   * Sends the conversation's draft; clears it once the backend took it. In a team, `check` carries the version the
   * person saw and, after a collision, their "send anyway" (the same text goes with the same key).
   */
  async send(
    conversationId: number,
    platform: Platform,
    perform: Perform,
    check?: CollisionCheck,
    realLimit: ReplyLimit | null = null,
  ): Promise<boolean> {
    const text = this.draft(conversationId);
    const problem = replyProblem(text, platform, realLimit);
    if (problem !== null) {
      this.problem = { conversationId, message: problem };
      return false;
    }
    this.problem = null;
    const sent = text.trim();
    const key = this.keyFor(conversationId, sent);
    const ok = await perform(conversationId, check ? { type: 'reply', text: sent, key, check } : { type: 'reply', text: sent, key });
    if (ok && this.keys.get(conversationId)?.key === key) this.keys.delete(conversationId);
    // Only what was sent is cleared: anything typed meanwhile stays.
    if (ok && this.draft(conversationId) === text) this.edit(conversationId, '');
    return ok;
  }

  /** The key for sending `text` in the conversation: the last one while the text is the same, else a new one. */
  private keyFor(conversationId: number, text: string): string {
    const last = this.keys.get(conversationId);
    if (last !== undefined && last.text === text) return last.key;
    const key = this.mintKey();
    this.keys.set(conversationId, { text, key });
    return key;
  }

  /** Tries a failed reply again. */
  retry(conversationId: number, replyId: number, perform: Perform): Promise<boolean> {
    this.problem = null;
    return perform(conversationId, { type: 'retry_reply', replyId });
  }
}
