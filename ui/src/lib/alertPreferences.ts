// Notification preferences as the settings form edits them: the draft, its checks, the words the panel shows,
// and whether notifications are paused at a given moment.
import type { AlertPreferences, QueueId, QueueSummary, Timestamp } from './bindings';

/** "Pause notifications for 1 h". */
export const PAUSE_MINUTES = 60;

/** Quiet hours offered when the person turns them on for the first time. */
export const DEFAULT_QUIET_START = '18:00';
export const DEFAULT_QUIET_END = '08:00';

export const COOLDOWN_CHOICES: ReadonlyArray<{ seconds: number; label: string }> = [
  { seconds: 0, label: 'Off' },
  { seconds: 30, label: '30 s' },
  { seconds: 60, label: '1 min' },
  { seconds: 120, label: '2 min' },
  { seconds: 300, label: '5 min' },
];

/** What the form edits; the rest of the preferences are read-only or set by pausing. */
export interface AlertDraft {
  /** The queues ticked; none means every queue. */
  queues: QueueId[];
  quietEnabled: boolean;
  /** `HH:MM`, as an `<input type="time">` gives it ('' when cleared). */
  quietStart: string;
  quietEnd: string;
  pierce: boolean;
  cooldownSeconds: number;
}

export function draftFrom(preferences: AlertPreferences): AlertDraft {
  return {
    queues: [...preferences.queues],
    quietEnabled: preferences.quiet_hours !== null,
    quietStart: preferences.quiet_hours?.start ?? DEFAULT_QUIET_START,
    quietEnd: preferences.quiet_hours?.end ?? DEFAULT_QUIET_END,
    pierce: preferences.escalations_pierce_quiet_hours,
    cooldownSeconds: preferences.cooldown_seconds,
  };
}

/**
 * The preferences to save: the draft over `current`, the latest preferences known. The pause comes from
 * `current`, never from when the form was opened, so saving does not undo a pause made meanwhile.
 */
export function preferencesFrom(current: AlertPreferences, draft: AlertDraft): AlertPreferences {
  return {
    ...current,
    queues: [...draft.queues],
    quiet_hours: draft.quietEnabled
      ? { start: normalizeTime(draft.quietStart), end: normalizeTime(draft.quietEnd) }
      : null,
    escalations_pierce_quiet_hours: draft.pierce,
    cooldown_seconds: draft.cooldownSeconds,
  };
}

/** `HH:MM` from a time input's value, which may carry seconds (`HH:MM:SS`). */
export function normalizeTime(value: string): string {
  const trimmed = value.trim();
  return /^\d{2}:\d{2}:\d{2}(\.\d+)?$/.test(trimmed) ? trimmed.slice(0, 5) : trimmed;
}

const TIME_OF_DAY = /^([01]\d|2[0-3]):[0-5]\d$/;

/** What is wrong with the draft before asking the backend, in words; null when it can be saved. */
export function draftProblem(draft: AlertDraft): string | null {
  if (!draft.quietEnabled) return null;
  const start = normalizeTime(draft.quietStart);
  const end = normalizeTime(draft.quietEnd);
  if (start === '' || end === '') return 'Choose when quiet hours start and end, or turn them off.';
  if (!TIME_OF_DAY.test(start)) return `\`${start}\` is not a time of day; write it as HH:MM, e.g. 18:00.`;
  if (!TIME_OF_DAY.test(end)) return `\`${end}\` is not a time of day; write it as HH:MM, e.g. 08:00.`;
  if (start === end) return 'Quiet hours must start and end at different times.';
  return null;
}

/** Whether the draft differs from the preferences it was made from. */
export function draftChanged(draft: AlertDraft, preferences: AlertPreferences): boolean {
  const saved = draftFrom(preferences);
  if (draft.quietEnabled !== saved.quietEnabled) return true;
  if (draft.quietEnabled && (draft.quietStart !== saved.quietStart || draft.quietEnd !== saved.quietEnd)) return true;
  return (
    draft.pierce !== saved.pierce ||
    draft.cooldownSeconds !== saved.cooldownSeconds ||
    draft.queues.length !== saved.queues.length ||
    draft.queues.some((q) => !saved.queues.includes(q))
  );
}

/** Ticks or unticks a queue, keeping the ticked ones in the sidebar's order (unknown ones last). */
export function toggleQueue(
  selected: readonly QueueId[],
  id: QueueId,
  on: boolean,
  queues: readonly QueueSummary[],
): QueueId[] {
  const next = new Set(selected);
  if (on) next.add(id);
  else next.delete(id);
  const order = queues.map((q) => q.queue.id);
  const known = order.filter((q) => next.has(q));
  const unknown = [...next].filter((q) => !order.includes(q));
  return [...known, ...unknown];
}

export interface QueueChoice {
  id: QueueId;
  label: string;
  checked: boolean;
  /** Ticked in the saved preferences but no longer in this workspace's policy. */
  missing: boolean;
}

/** One checkbox per queue, plus any ticked queue the policy no longer has (so it can be unticked). */
export function queueChoices(queues: readonly QueueSummary[], selected: readonly QueueId[]): QueueChoice[] {
  const choices: QueueChoice[] = queues.map((q) => ({
    id: q.queue.id,
    label: q.queue.label,
    checked: selected.includes(q.queue.id),
    missing: false,
  }));
  for (const id of selected) {
    if (!queues.some((q) => q.queue.id === id)) choices.push({ id, label: id, checked: true, missing: true });
  }
  return choices;
}

/** Which queues notify, in words. */
export function queueScopeSummary(selected: readonly QueueId[], queues: readonly QueueSummary[]): string {
  if (selected.length === 0) return 'None ticked: you are notified about all queues.';
  const labels = selected.map((id) => queueLabel(id, queues));
  return `You are notified about ${joinWords(labels)} only.`;
}

/** "Escalations in Support come to you", or "You lead no queue". */
export function leadSummary(leadOf: readonly QueueId[], queues: readonly QueueSummary[]): string {
  if (leadOf.length === 0) return 'You lead no queue';
  return `Escalations in ${joinWords(leadOf.map((id) => queueLabel(id, queues)))} come to you`;
}

export function queueLabel(id: QueueId, queues: readonly QueueSummary[]): string {
  return queues.find((q) => q.queue.id === id)?.queue.label ?? id;
}

/** "A", "A and B", "A, B and C". */
export function joinWords(words: readonly string[]): string {
  if (words.length <= 1) return words[0] ?? '';
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

/** Whether quiet hours from `start` to `end` (both `HH:MM`) run past midnight, e.g. 18:00–08:00. */
export function spansMidnight(start: string, end: string): boolean {
  const a = normalizeTime(start);
  const b = normalizeTime(end);
  return TIME_OF_DAY.test(a) && TIME_OF_DAY.test(b) && b < a;
}

/** Quiet hours in words: "Quiet from 18:00 to 08:00 the next morning." */
export function quietHoursSummary(start: string, end: string): string | null {
  const a = normalizeTime(start);
  const b = normalizeTime(end);
  if (!TIME_OF_DAY.test(a) || !TIME_OF_DAY.test(b) || a === b) return null;
  return spansMidnight(a, b) ? `Quiet from ${a} to ${b} the next day (over midnight).` : `Quiet from ${a} to ${b}.`;
}

/** The cool-down choices, with the current value added when it is not one of them (set elsewhere). */
export function cooldownChoices(current: number): Array<{ seconds: number; label: string }> {
  if (COOLDOWN_CHOICES.some((c) => c.seconds === current)) return [...COOLDOWN_CHOICES];
  return [...COOLDOWN_CHOICES, { seconds: current, label: cooldownLabel(current) }].sort((a, b) => a.seconds - b.seconds);
}

/** "Off", "45 s", "1 min", "1 min 30 s", "10 min". */
export function cooldownLabel(seconds: number): string {
  const known = COOLDOWN_CHOICES.find((c) => c.seconds === seconds);
  if (known) return known.label;
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  return rest === 0 ? `${minutes} min` : `${minutes} min ${rest} s`;
}

/** When notifications come back, while they are paused at `now`; null when they are not paused. */
export function pausedUntil(preferences: AlertPreferences | null, now: Timestamp): Timestamp | null {
  const until = preferences?.paused_until ?? null;
  return until !== null && until > now ? until : null;
}
