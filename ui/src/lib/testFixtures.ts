// Sample data shaped like the backend's answers, shared by the unit tests.
import type { ConversationSummary, QueueSummary, Thread, WorkspaceInfo } from './bindings';

export const demoWorkspace: WorkspaceInfo = { id: 'demo', name: 'Demo — Northwind Coffee', is_demo: true };

export function queueSummary(id: string, label: string, waiting = 0): QueueSummary {
  return { queue: { id, label, color: '#2f80ed' }, waiting_count: waiting, conversation_count: waiting };
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
  };
}
