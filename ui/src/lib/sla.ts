// The response clock, kept live between reads: the state and countdown at any instant, from the SLA's instants.
import type { SlaState, SlaView, Timestamp } from './bindings';
import { formatAge } from './format';

export interface SlaNow {
  state: SlaState;
  /** The badge's words: "On track", "At risk", "Breached", "Escalated". */
  label: string;
  /** "due in 12 m" before the due time, "overdue 5 m" from it on. */
  countdown: string;
  /** Whether the due time has passed (breached or escalated). */
  overdue: boolean;
  /** "first reply" or "next reply". */
  hint: string;
  /** A full sentence for the tooltip and screen readers. */
  description: string;
}

const LABELS: Record<SlaState, string> = {
  on_track: 'On track',
  at_risk: 'At risk',
  breached: 'Breached',
  escalated: 'Escalated',
};

export function slaLabel(state: SlaState): string {
  return LABELS[state] ?? String(state);
}

/**
 * The state at `now`: on track before `at_risk_at`, at risk from it, breached from `due_at`,
 * escalated from `escalated_at` (at each instant, the new state).
 */
export function slaStateAt(sla: SlaView, now: Timestamp): SlaState {
  if (now >= sla.escalated_at) return 'escalated';
  if (now >= sla.due_at) return 'breached';
  if (now >= sla.at_risk_at) return 'at_risk';
  return 'on_track';
}

export function slaNow(sla: SlaView, now: Timestamp): SlaNow {
  const state = slaStateAt(sla, now);
  const label = slaLabel(state);
  const overdue = now >= sla.due_at;
  const countdown = overdue ? `overdue ${formatAge(sla.due_at, now)}` : `due in ${formatAge(now, sla.due_at)}`;
  const hint = sla.first_response ? 'first reply' : 'next reply';
  const reply = sla.first_response ? 'First reply' : 'Next reply';
  return { state, label, countdown, overdue, hint, description: `${label}: ${reply} ${countdown}` };
}
