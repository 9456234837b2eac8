// The reply box's text: how long it is for the platform, and whether it can be sent.
import type { LimitUnit, Platform, ReplyLimit, Thread } from './bindings';

/** The platforms' limits: strict ones cannot be passed; Mastodon's depends on the server. */
const LIMITS: Partial<Record<Platform, { max: number; strict: boolean }>> = {
  bluesky: { max: 300, strict: true },
  x: { max: 280, strict: true },
  mastodon: { max: 500, strict: false },
};

/** Intl.Segmenter where the engine has it (the type library here predates it). */
interface GraphemeSegmenter {
  segment(text: string): Iterable<unknown>;
}
type SegmenterConstructor = new (locale: undefined, options: { granularity: 'grapheme' }) => GraphemeSegmenter;

const Segmenter = (Intl as unknown as { Segmenter?: SegmenterConstructor }).Segmenter;
const segmenter = Segmenter ? new Segmenter(undefined, { granularity: 'grapheme' }) : null;

/** Characters as a person counts them (an emoji with its modifiers is one). */
export function countCharacters(text: string): number {
  if (segmenter === null) return [...text].length;
  let count = 0;
  for (const _ of segmenter.segment(text)) count++;
  return count;
}

export interface ReplyMeter {
  count: number;
  max: number | null;
  /** Longer than the platform's usual limit. */
  over: boolean;
  /** Longer than a limit the platform enforces: it cannot be sent. */
  blocks: boolean;
  /** "12 / 300", "12 characters", or what is wrong. */
  label: string;
}

/** A link as Mastodon counts it, whatever its length. */
const LINK_LENGTH = 23;

/**
 * The length of `text` in `unit`, as the backend counts it: grapheme clusters; in Mastodon's characters a word
 * that is a link (`http://…`, `https://…`) counts 23.
 */
export function replyLength(text: string, unit: LimitUnit): number {
  if (unit === 'graphemes') return countCharacters(text);
  let count = 0;
  for (const part of text.split(/(\s+)/)) {
    if (part === '') continue;
    count += /^https?:\/\//.test(part) ? LINK_LENGTH : countCharacters(part);
  }
  return count;
}

/**
 * The reply's length against the platform's limit: `realLimit` is the account's own (the thread's `reply_limit`:
 * Bluesky's 300 graphemes, a Mastodon instance's `max_characters`) when the backend knows it, enforced; else the
 * platform's usual one, counted as before.
 */
export function replyMeter(text: string, platform: Platform, realLimit: ReplyLimit | null = null): ReplyMeter {
  const trimmed = text.trim();
  const count = realLimit !== null ? replyLength(trimmed, realLimit.unit) : countCharacters(trimmed);
  const limit = realLimit !== null && realLimit.max > 0 ? { max: realLimit.max, strict: true } : LIMITS[platform];
  if (!limit) return { count, max: null, over: false, blocks: false, label: `${count} ${count === 1 ? 'character' : 'characters'}` };
  const over = count > limit.max;
  let label = `${count} / ${limit.max}`;
  if (over && limit.strict) label = `${count - limit.max} over the limit of ${limit.max}`;
  else if (over) label = `${count} — most Mastodon servers allow ${limit.max}`;
  return { count, max: limit.max, over, blocks: over && limit.strict, label };
}

export const EMPTY_REPLY_MESSAGE = 'Write a reply first.';

/** Why the reply cannot be sent as it is, or null when it can. */
export function replyProblem(text: string, platform: Platform, realLimit: ReplyLimit | null = null): string | null {
  if (text.trim() === '') return EMPTY_REPLY_MESSAGE;
  const meter = replyMeter(text, platform, realLimit);
  if (meter.blocks) return `Shorten the reply: it is ${meter.label}.`;
  return null;
}

/** The account's real reply limit from a thread (`reply_limit`; absent from an older backend), else null. */
export function replyLimitOf(thread: Thread | null): ReplyLimit | null {
  return (thread?.reply_limit as ReplyLimit | null | undefined) ?? null;
}
