// The messaging window of a Messenger / Instagram conversation, in words.
//
// Meta lets a Page answer a message only within 24 hours of the customer's latest one (the **standard
// window**, until `closes_at`). Where the workspace policy allows it and Meta permits, a person may answer later
// with the **human-agent tag**, up to 7 days after that message (until `human_agent_until`). Past both, nothing
// can be sent until the customer writes again.
import type { Platform, ReplyWindow, Timestamp } from './bindings';
import { formatAge, formatClockTime } from './format';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Under this much time left, the badge turns warning-coloured. */
export const WINDOW_WARNING_MS = HOUR;

/**
 * Where the window stands: `open` (standard window, plenty of time), `closing` (under an hour left), `human_agent`
 * (standard window over, the human-agent tag still allowed), `closed` (nothing can be sent).
 */
export type WindowPhase = 'open' | 'closing' | 'human_agent' | 'closed';

export interface WindowStatus {
  phase: WindowPhase;
  /** The short badge of the conversation row: "3 h left", "45 m left", "Tag: 5 d left", "Window closed". */
  badge: string;
  /** The full sentence of the thread: when it closes, how long is left, what happens after. */
  sentence: string;
  /** Whether a reply can still be sent (standard window or human-agent tag). */
  canReply: boolean;
}

/** "Messenger window" for a Page, "Instagram messaging window" for Instagram. */
export function windowName(platform: Platform): string {
  return platform === 'instagram' ? 'Instagram messaging window' : 'Messenger window';
}

/** How much time is left, short: "3 h", "45 m", "30 s", "2 d". */
export function shortLeft(left: number): string {
  if (left >= 48 * HOUR) return `${Math.floor(left / (24 * HOUR))} d`;
  if (left >= HOUR) return `${Math.floor(left / HOUR)} h`;
  if (left >= MINUTE) return `${Math.floor(left / MINUTE)} m`;
  return `${Math.max(0, Math.floor(left / 1000))} s`;
}

/** Where the messaging window of a conversation stands at `now`. */
export function windowStatus(window: ReplyWindow, platform: Platform, now: Timestamp): WindowStatus {
  const name = windowName(platform);
  const closesAt = formatClockTime(window.closes_at, now);
  const tagUntil = window.human_agent_until;
  if (now < window.closes_at) {
    const left = window.closes_at - now;
    const after =
      tagUntil !== null && tagUntil > window.closes_at
        ? `; after that, until ${formatClockTime(tagUntil, now)} with the human-agent tag`
        : '';
    return {
      phase: left < WINDOW_WARNING_MS ? 'closing' : 'open',
      badge: `${shortLeft(left)} left`,
      sentence: `${capitalise(name)} closes at ${closesAt} (${formatAge(now, window.closes_at)} left)${after}.`,
      canReply: true,
    };
  }
  if (tagUntil !== null && now < tagUntil) {
    return {
      phase: 'human_agent',
      badge: `Tag: ${shortLeft(tagUntil - now)} left`,
      sentence:
        `The 24-hour ${name} closed at ${closesAt}. Until ${formatClockTime(tagUntil, now)} ` +
        `(${formatAge(now, tagUntil)} left) a reply goes with the human-agent tag: answer only as a person, ` +
        'about what the customer asked.',
      canReply: true,
    };
  }
  const tagWords = tagUntil !== null ? ', or within 7 days with the human-agent tag' : '';
  return {
    phase: 'closed',
    badge: 'Window closed',
    sentence:
      `The ${name} closed at ${formatClockTime(tagUntil ?? window.closes_at, now)}. Meta lets a Page answer a ` +
      `message only within 24 hours of the customer's latest one${tagWords}. ` +
      'You can answer again once the customer writes.',
    canReply: false,
  };
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
