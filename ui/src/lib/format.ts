// Words and numbers the window shows: platform and kind labels, ages, item times.
import type { ConversationSummary, ItemKind, Platform, Timestamp } from './bindings';

const PLATFORM_LABELS: Record<Platform, string> = {
  mastodon: 'Mastodon',
  bluesky: 'Bluesky',
  x: 'X',
  facebook: 'Facebook',
  instagram: 'Instagram',
  linked_in: 'LinkedIn',
  you_tube: 'YouTube',
};

/** A one-letter mark per platform, shown next to its name (decoration: the name is always there too). */
const PLATFORM_MARKS: Record<Platform, string> = {
  mastodon: 'M',
  bluesky: 'B',
  x: 'X',
  facebook: 'f',
  instagram: 'IG',
  linked_in: 'in',
  you_tube: '▶',
};

const KIND_LABELS: Record<ItemKind, string> = {
  mention: 'Mention',
  reply: 'Reply',
  quote: 'Quote',
  comment: 'Comment',
  direct_message: 'DM',
};

/** Falls back to the raw value so a platform added to the backend later still shows something. */
export function platformLabel(platform: Platform): string {
  return PLATFORM_LABELS[platform] ?? String(platform);
}

/** The platform's small mark; a platform added to the backend later gets its first letter. */
export function platformMark(platform: Platform): string {
  return PLATFORM_MARKS[platform] ?? String(platform).charAt(0).toUpperCase();
}

export function kindLabel(kind: ItemKind): string {
  return KIND_LABELS[kind] ?? String(kind);
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** A short age: "45 s", "12 m", "2 h 10 m", "2 h", "3 d". Times in the future count as "0 s". */
export function formatAge(since: Timestamp, now: Timestamp): string {
  const elapsed = Math.max(0, now - since);
  if (elapsed < MINUTE) return `${Math.floor(elapsed / SECOND)} s`;
  if (elapsed < HOUR) return `${Math.floor(elapsed / MINUTE)} m`;
  if (elapsed < DAY) {
    const hours = Math.floor(elapsed / HOUR);
    const minutes = Math.floor((elapsed % HOUR) / MINUTE);
    return minutes === 0 ? `${hours} h` : `${hours} h ${minutes} m`;
  }
  return `${Math.floor(elapsed / DAY)} d`;
}

export interface WaitStatus {
  waiting: boolean;
  /** The marker's words: "Waiting" or "Answered". */
  label: string;
  /** The age shown next to it: "12 m" while waiting, "12 m ago" once answered. */
  age: string;
  /** A full sentence for the tooltip and screen readers. */
  description: string;
}

/** How long a conversation has waited for the brand, or how long ago it was last active once answered. */
export function waitStatus(conversation: ConversationSummary, now: Timestamp): WaitStatus {
  if (conversation.waiting_since !== null) {
    const age = formatAge(conversation.waiting_since, now);
    return { waiting: true, label: 'Waiting', age, description: `Waiting for the brand for ${age}` };
  }
  const age = formatAge(conversation.last_activity_at, now);
  return {
    waiting: false,
    label: 'Answered',
    age: `${age} ago`,
    description: `Answered; last activity ${age} ago`,
  };
}

/** An item's time: the clock time today, the date and time otherwise, in the person's locale. */
export function formatItemTime(at: Timestamp, now: Timestamp, locale?: string): string {
  const date = new Date(at);
  const today = new Date(now);
  const sameDay = date.toDateString() === today.toDateString();
  const time = date.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' });
  if (sameDay) return time;
  const day = date.toLocaleDateString(locale, {
    day: 'numeric',
    month: 'short',
    year: date.getFullYear() === today.getFullYear() ? undefined : 'numeric',
  });
  return `${day}, ${time}`;
}

/** The queue colour when it is a CSS hex colour; otherwise a neutral grey. */
export function safeColor(color: string): string {
  return /^#(?:[0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})$/i.test(color) ? color : '#8a8f98';
}

/** A clock time as HH:MM (24-hour), with the day in front when it is not today: "14:05", "2 May, 09:30". */
export function formatClockTime(at: Timestamp, now: Timestamp, locale?: string): string {
  const date = new Date(at);
  const pad = (n: number) => String(n).padStart(2, '0');
  const time = `${pad(date.getHours())}:${pad(date.getMinutes())}`;
  if (date.toDateString() === new Date(now).toDateString()) return time;
  return `${date.toLocaleDateString(locale, { day: 'numeric', month: 'short' })}, ${time}`;
}
