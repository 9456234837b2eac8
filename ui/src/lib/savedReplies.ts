// Saved replies in the reply box: searching them as the person types (the ones that fit the conversation's queue
// and platform first, archived ones never), and putting a filled one into the reply at the cursor.
import type { Platform, QueueId, SavedReply } from './bindings';

/** Where a saved reply would go: the conversation's queue and platform. */
export interface ReplyPlace {
  queue: QueueId;
  platform: Platform;
}

/** How well a saved reply fits: 2 named for both, 1 fits (a list left empty fits any), 0 does not fit. */
export function fitOf(reply: SavedReply, place: ReplyPlace): number {
  const queue = reply.queues.length === 0 ? 1 : reply.queues.includes(place.queue) ? 2 : 0;
  const platform = reply.platforms.length === 0 ? 1 : reply.platforms.includes(place.platform) ? 2 : 0;
  if (queue === 0 || platform === 0) return 0;
  return queue === 2 || platform === 2 ? 2 : 1;
}

/** Lower case without accents, so "cafe" finds "Café". */
function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/**
 * The saved replies `query` finds (every word of it in the title, text or category), archived ones left out:
 * those fitting the place first, then those whose title matches, then by title.
 */
export function searchSavedReplies(replies: readonly SavedReply[], query: string, place: ReplyPlace): SavedReply[] {
  const words = fold(query).split(/\s+/).filter((w) => w !== '');
  const found: Array<{ reply: SavedReply; fit: number; inTitle: number }> = [];
  for (const reply of replies) {
    if (reply.archived) continue;
    const title = fold(reply.title);
    const all = `${title}\n${fold(reply.category)}\n${fold(reply.text)}`;
    if (!words.every((w) => all.includes(w))) continue;
    found.push({ reply, fit: fitOf(reply, place), inTitle: words.filter((w) => title.includes(w)).length });
  }
  found.sort((a, b) => b.fit - a.fit || b.inTitle - a.inTitle || a.reply.title.localeCompare(b.reply.title));
  return found.map((f) => f.reply);
}

/** `text` with `snippet` in place of the selection `start`–`end` (the cursor when they are equal), and where the cursor goes after it. */
export function insertAt(text: string, start: number, end: number, snippet: string): { text: string; cursor: number } {
  const from = Math.max(0, Math.min(start, text.length));
  const to = Math.max(from, Math.min(end, text.length));
  return { text: text.slice(0, from) + snippet + text.slice(to), cursor: from + snippet.length };
}
