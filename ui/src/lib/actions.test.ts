import { describe, expect, it, vi } from 'vitest';
import {
  chosenTarget,
  doneReasonLabel,
  DONE_REASONS,
  EMPTY_NOTE_MESSAGE,
  handoffTargets,
  historyWho,
  keyCommand,
  noteProblem,
  runAction,
  SNOOZE_CHOICES,
  type ConversationAction,
} from './actions';
import type { WorkspaceBackend } from './backend';
import { conversation, queueSummary, threadOf } from './testFixtures';

function recordingBackend() {
  const answer = threadOf(conversation(7));
  const calls: unknown[][] = [];
  const record =
    (name: string) =>
    async (...args: unknown[]) => {
      calls.push([name, ...args]);
      return answer;
    };
  const backend = {
    claim: vi.fn(record('claim')),
    release: vi.fn(record('release')),
    reopen: vi.fn(record('reopen')),
    handOff: vi.fn(record('handOff')),
    addNote: vi.fn(record('addNote')),
    markDone: vi.fn(record('markDone')),
    snooze: vi.fn(record('snooze')),
  } as unknown as WorkspaceBackend;
  return { backend, calls, answer };
}

describe('runAction', () => {
  it('calls the backend method for each action with its fields', async () => {
    const { backend, calls, answer } = recordingBackend();
    const actions: ConversationAction[] = [
      { type: 'claim' },
      { type: 'release' },
      { type: 'reopen' },
      { type: 'hand_off', queue: 'sales', note: 'Wants a quote' },
      { type: 'add_note', note: 'Called back' },
      { type: 'mark_done', reason: 'spam' },
      { type: 'snooze', minutes: 240 },
    ];
    for (const action of actions) await expect(runAction(backend, 7, action)).resolves.toBe(answer);
    expect(calls).toEqual([
      ['claim', 7],
      ['release', 7],
      ['reopen', 7],
      ['handOff', 7, 'sales', 'Wants a quote'],
      ['addNote', 7, 'Called back'],
      ['markDone', 7, 'spam'],
      ['snooze', 7, 240],
    ]);
  });
});

describe('choices', () => {
  it('offers the three done reasons in plain words', () => {
    expect(DONE_REASONS.map((r) => r.label)).toEqual(['Answered elsewhere', 'No reply needed', 'Spam']);
    expect(doneReasonLabel('no_reply_needed')).toBe('No reply needed');
  });

  it('offers 15 min, 1 h, 4 h and 1 day of snooze', () => {
    expect(SNOOZE_CHOICES).toEqual([
      { minutes: 15, label: '15 min' },
      { minutes: 60, label: '1 h' },
      { minutes: 240, label: '4 h' },
      { minutes: 1440, label: '1 day' },
    ]);
  });
});

describe('notes and hand-off targets', () => {
  it('needs a note with something in it', () => {
    expect(noteProblem('')).toBe(EMPTY_NOTE_MESSAGE);
    expect(noteProblem('  \n ')).toBe('Write a note first.');
    expect(noteProblem('ok')).toBeNull();
  });

  it('hands off to every queue but the current one, in sidebar order', () => {
    const queues = [queueSummary('triage', 'Triage'), queueSummary('support', 'Support'), queueSummary('sales', 'Sales')];
    expect(handoffTargets(queues, 'support').map((q) => q.id)).toEqual(['triage', 'sales']);
    expect(handoffTargets([queueSummary('support', 'Support')], 'support')).toEqual([]);
  });

  it('keeps the picked target while it exists, else picks the first', () => {
    const targets = handoffTargets([queueSummary('triage', 'Triage'), queueSummary('sales', 'Sales')], 'support');
    expect(chosenTarget('sales', targets)).toBe('sales');
    expect(chosenTarget(null, targets)).toBe('triage');
    expect(chosenTarget('gone', targets)).toBe('triage');
    expect(chosenTarget('sales', [])).toBeNull();
  });
});

describe('historyWho', () => {
  it('names the person, or the platform for arriving items', () => {
    expect(historyWho('Ana')).toBe('Ana');
    expect(historyWho(null)).toBe('Platform');
  });
});

describe('keyCommand', () => {
  const open = conversation(1);
  const claimed = conversation(1, 'support', { claimed_by: 'Ana' });
  const done = conversation(1, 'support', { done_reason: 'spam', sla: null });

  it('toggles claim and release with c', () => {
    expect(keyCommand('claimToggle', open)).toEqual({ run: { type: 'claim' } });
    expect(keyCommand('claimToggle', claimed)).toEqual({ run: { type: 'release' } });
  });

  it('opens the forms for h, n, e and s', () => {
    expect(keyCommand('handoff', open)).toEqual({ open: 'handoff' });
    expect(keyCommand('note', open)).toEqual({ open: 'note' });
    expect(keyCommand('done', open)).toEqual({ open: 'done' });
    expect(keyCommand('snooze', open)).toEqual({ open: 'snooze' });
  });

  it('reopens only a done conversation, and does not mark it done twice', () => {
    expect(keyCommand('reopen', open)).toBeNull();
    expect(keyCommand('reopen', done)).toEqual({ run: { type: 'reopen' } });
    expect(keyCommand('done', done)).toBeNull();
  });
});
