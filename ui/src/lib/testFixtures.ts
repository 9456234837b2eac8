// Sample data shaped like the backend's answers, shared by the unit tests.
import type { AlertPreferences, ConversationSummary, QueueSummary, SlaView, Thread, WorkspaceInfo } from './bindings';

export const demoWorkspace: WorkspaceInfo = {
  id: 'demo',
  name: 'Demo — Northwind Coffee',
  is_demo: true,
  policy_path: '/data/demo/policy.toml',
  policy_error: null,
};

export function queueSummary(
  id: string,
  label: string,
  waiting = 0,
  overrides: Partial<QueueSummary> = {},
): QueueSummary {
  return {
    queue: { id, label, color: '#2f80ed' },
    waiting_count: waiting,
    conversation_count: waiting,
    at_risk_count: 0,
    breached_count: 0,
    ...overrides,
  };
}

/** A response clock: at risk at `atRisk`, due at `due`, escalated at `escalated` (all absolute). */
export function slaView(atRisk: number, due: number, escalated: number, overrides: Partial<SlaView> = {}): SlaView {
  return { state: 'on_track', at_risk_at: atRisk, due_at: due, escalated_at: escalated, first_response: true, ...overrides };
}

export function conversation(id: number, queue = 'support', overrides: Partial<ConversationSummary> = {}): ConversationSummary {
  return {
    id,
    queue,
    platform: 'mastodon',
    kind: 'mention',
    customer: { handle: `@c${id}@example.social`, display_name: `Customer ${id}` },
    preview: `Hello from ${id}`,
    last_activity_at: 1_000,
    waiting_since: 1_000,
    item_count: 1,
    sla: null,
    claimed_by: null,
    done_reason: null,
    snoozed_until: null,
    handoff_note: null,
    note_count: 0,
    ...overrides,
  };
}

export function threadOf(summary: ConversationSummary): Thread {
  return {
    conversation: summary,
    items: [
      {
        id: summary.id * 10,
        author: summary.customer,
        from_brand: false,
        kind: summary.kind,
        text: summary.preview,
        lang: 'en',
        created_at: summary.last_activity_at,
      },
    ],
    history: [
      {
        seq: summary.id * 100,
        at: summary.last_activity_at,
        kind: 'item_ingested',
        by: null,
        detail: `${summary.customer.display_name} wrote: ${summary.preview}`,
      },
    ],
  };
}

/** Ana's notification preferences: every queue, no quiet hours, a one-minute cool-down, not paused. */
export function alertPrefs(overrides: Partial<AlertPreferences> = {}): AlertPreferences {
  return {
    person: 'Ana',
    queues: [],
    lead_of: [],
    quiet_hours: null,
    time_zone: 'Europe/Lisbon',
    cooldown_seconds: 60,
    paused_until: null,
    escalations_pierce_quiet_hours: false,
    ...overrides,
  };
}
