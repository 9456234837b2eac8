// Hiding a comment from the public — a lead's explicit act, logged and reversible: which items offer it, why a
// hide cannot go ahead as typed, and how a hidden item reads. Nothing is ever deleted.
import type { Platform, QueueId, TeamMemberView, ThreadItem } from './bindings';
import { memberName } from './teamText';

/** Platforms whose comments Switchboard can hide from the public (Facebook Pages, Instagram). */
const HIDEABLE_PLATFORMS: readonly Platform[] = ['facebook', 'instagram'];

export const HIDE_REASON_MISSING = 'Say why it is hidden: the reason is logged with it.';

/**
 * Whether the person is offered to hide (or show again) `item`: a customer's comment on Facebook or Instagram, in a
 * conversation of a queue they lead (`leadOf`).
 */
export function canHide(item: ThreadItem, platform: Platform, queue: QueueId, leadOf: readonly QueueId[]): boolean {
  return HIDEABLE_PLATFORMS.includes(platform) && item.kind === 'comment' && !item.from_brand && leadOf.includes(queue);
}

/** Why a hide cannot be sent with `reason`, or null when it can. */
export function hideReasonProblem(reason: string): string | null {
  return reason.trim() === '' ? HIDE_REASON_MISSING : null;
}

/** How a hidden item says so: "Hidden from the public by Rosa — spam" (names from the team, when it lists them). */
export function hiddenLine(item: ThreadItem, members: readonly TeamMemberView[]): string {
  const by = item.hidden_by === null ? '' : ` by ${memberName(item.hidden_by, members)}`;
  const reason = item.hidden_reason ? ` — ${item.hidden_reason}` : '';
  return `Hidden from the public${by}${reason}`;
}
