// Telling teammates what the person is doing on a conversation (presence): "viewing" while its thread is open,
// "replying" while the reply box has text and had a keystroke in the last few seconds, nothing once they leave
// it, hide the window or close it. Presence expires by itself on the team's side, so it is repeated while it
// lasts. Best-effort: failures are ignored, and nothing waits for an answer.
import type { Activity } from './bindings';

/** How often presence is repeated while it lasts (the team forgets it within seconds otherwise). */
export const PRESENCE_REPEAT_MS = 4_000;
/** How long after the last keystroke a non-empty reply box still counts as replying. */
export const TYPING_WINDOW_MS = 10_000;

/** Sends presence: a conversation and what the person does there, or (null, null) for nothing. */
export type Announce = (conversationId: number | null, activity: Activity | null) => Promise<void>;

export class PresenceAnnouncer {
  private conversationId: number | null = null;
  private hasText = false;
  private typedAt = Number.NEGATIVE_INFINITY;
  private hidden = false;
  /** What teammates were last told (null: nothing). */
  private told: { conversationId: number; activity: Activity } | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(
    private readonly announce: Announce,
    private readonly clock: () => number = () => Date.now(),
  ) {}

  /** The conversation open now (null: none); a change is told at once. */
  follow(conversationId: number | null): void {
    if (conversationId === this.conversationId) return;
    this.conversationId = conversationId;
    this.hasText = false;
    this.typedAt = Number.NEGATIVE_INFINITY;
    this.flush(false);
  }

  /** A keystroke in a reply box, with the box's text now; starting to reply is told at once. */
  typed(conversationId: number, text: string): void {
    if (conversationId !== this.conversationId) return;
    this.hasText = text.trim() !== '';
    this.typedAt = this.clock();
    this.flush(false);
  }

  /** The window was hidden (nothing is told while it is) or shown again. */
  setHidden(hidden: boolean): void {
    this.hidden = hidden;
    this.flush(false);
  }

  /** What the person is doing now, or null. */
  activity(): Activity | null {
    if (this.conversationId === null || this.hidden) return null;
    return this.hasText && this.clock() - this.typedAt < TYPING_WINDOW_MS ? 'replying' : 'viewing';
  }

  /** Repeats presence every `PRESENCE_REPEAT_MS` until `stop`. */
  start(intervalMs: number = PRESENCE_REPEAT_MS): void {
    if (this.timer !== null) return;
    this.timer = setInterval(() => this.tick(), intervalMs);
    this.flush(true);
  }

  /** The periodic repeat (also notices a reply box gone quiet). */
  tick(): void {
    this.flush(true);
  }

  /** Stops repeating and tells teammates the person is on nothing. */
  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    this.conversationId = null;
    this.flush(false);
  }

  /** Tells what changed (or, with `repeat`, what lasts). */
  private flush(repeat: boolean): void {
    const activity = this.activity();
    const id = this.conversationId;
    if (activity === null || id === null) {
      if (this.told === null) return;
      this.told = null;
      this.send(null, null);
      return;
    }
    const same = this.told !== null && this.told.conversationId === id && this.told.activity === activity;
    if (same && !repeat) return;
    this.told = { conversationId: id, activity };
    this.send(id, activity);
  }

  private send(conversationId: number | null, activity: Activity | null): void {
    try {
      void this.announce(conversationId, activity).catch(() => undefined);
    } catch {
      // Best-effort: see above.
    }
  }
}
