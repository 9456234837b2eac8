import { describe, expect, it, vi } from 'vitest';
import { ActionForms, EMPTY_DRAFTS, type Perform } from './actionForms.svelte';
import type { Queue } from './bindings';

const TARGETS: Queue[] = [
  { id: 'triage', label: 'Triage', color: '#000000' },
  { id: 'sales', label: 'Sales', color: '#000000' },
];

const succeeding = () => vi.fn<Perform>(async () => true);
const failing = () => vi.fn<Perform>(async () => false);

describe('ActionForms: which form is open', () => {
  it('opens a form for one conversation only', () => {
    const forms = new ActionForms();
    expect(forms.openFor(1)).toBeNull();
    forms.open(1, 'note');
    expect(forms.openFor(1)).toBe('note');
    expect(forms.openFor(2)).toBeNull();
    expect(forms.isOpen).toBe(true);
  });

  it('toggles a form and switches between forms', () => {
    const forms = new ActionForms();
    forms.toggle(1, 'done');
    expect(forms.openFor(1)).toBe('done');
    forms.toggle(1, 'snooze');
    expect(forms.openFor(1)).toBe('snooze');
    forms.toggle(1, 'snooze');
    expect(forms.openFor(1)).toBeNull();
    expect(forms.isOpen).toBe(false);
  });
});

describe('ActionForms: drafts', () => {
  it('keeps what was typed per conversation, through closing and switching', () => {
    const forms = new ActionForms();
    expect(forms.draft(1)).toEqual(EMPTY_DRAFTS);
    forms.open(1, 'note');
    forms.edit(1, { note: 'Refund sent' });
    forms.edit(2, { handoffNote: 'For sales', handoffQueue: 'sales' });
    forms.close();
    expect(forms.draft(1)).toEqual({ handoffQueue: null, handoffNote: '', handoffMember: '', note: 'Refund sent' });
    expect(forms.draft(2)).toEqual({ handoffQueue: 'sales', handoffNote: 'For sales', handoffMember: '', note: '' });
  });
});

describe('ActionForms: the note form', () => {
  it('refuses an empty note without asking the backend', async () => {
    const forms = new ActionForms();
    const perform = succeeding();
    forms.open(1, 'note');
    forms.edit(1, { note: '   ' });
    expect(await forms.submitNote(1, perform)).toBe(false);
    expect(perform).not.toHaveBeenCalled();
    expect(forms.problemFor(1)).toBe('Write a note first.');
    expect(forms.problemFor(2)).toBeNull();
    expect(forms.openFor(1)).toBe('note');

    forms.edit(1, { note: 'typing again' });
    expect(forms.problemFor(1)).toBeNull();
  });

  it('sends the trimmed note, then clears it and closes the form', async () => {
    const forms = new ActionForms();
    const perform = succeeding();
    forms.open(1, 'note');
    forms.edit(1, { note: '  Called the customer \n' });
    expect(await forms.submitNote(1, perform)).toBe(true);
    expect(perform).toHaveBeenCalledWith(1, { type: 'add_note', note: 'Called the customer' });
    expect(forms.draft(1).note).toBe('');
    expect(forms.openFor(1)).toBeNull();
  });

  it('keeps the note and the form open when sending fails', async () => {
    const forms = new ActionForms();
    forms.open(1, 'note');
    forms.edit(1, { note: 'Important' });
    expect(await forms.submitNote(1, failing())).toBe(false);
    expect(forms.draft(1).note).toBe('Important');
    expect(forms.openFor(1)).toBe('note');
  });
});

describe('ActionForms: the hand-off form', () => {
  it('sends to the first other queue unless another was picked', async () => {
    const forms = new ActionForms();
    const perform = succeeding();
    forms.open(1, 'handoff');
    forms.edit(1, { handoffNote: 'Wants a quote' });
    await forms.submitHandoff(1, TARGETS, perform);
    expect(perform).toHaveBeenLastCalledWith(1, { type: 'hand_off', queue: 'triage', note: 'Wants a quote' });

    forms.open(2, 'handoff');
    forms.edit(2, { handoffQueue: 'sales', handoffNote: 'Bulk order' });
    await forms.submitHandoff(2, TARGETS, perform);
    expect(perform).toHaveBeenLastCalledWith(2, { type: 'hand_off', queue: 'sales', note: 'Bulk order' });
    expect(forms.draft(2)).toEqual(EMPTY_DRAFTS);
    expect(forms.openFor(2)).toBeNull();
  });

  it('requires a note', async () => {
    const forms = new ActionForms();
    const perform = succeeding();
    forms.open(1, 'handoff');
    expect(await forms.submitHandoff(1, TARGETS, perform)).toBe(false);
    expect(perform).not.toHaveBeenCalled();
    expect(forms.problemFor(1)).toBe('Write a note first.');
  });

  it('says so when there is no other queue', async () => {
    const forms = new ActionForms();
    const perform = succeeding();
    forms.edit(1, { handoffNote: 'x' });
    expect(await forms.submitHandoff(1, [], perform)).toBe(false);
    expect(perform).not.toHaveBeenCalled();
    expect(forms.problemFor(1)).toBe('There is no other queue to hand off to.');
  });

  it('keeps the queue and note when the hand-off fails', async () => {
    const forms = new ActionForms();
    forms.open(1, 'handoff');
    forms.edit(1, { handoffQueue: 'sales', handoffNote: 'Keep me' });
    expect(await forms.submitHandoff(1, TARGETS, failing())).toBe(false);
    expect(forms.draft(1)).toEqual({ handoffQueue: 'sales', handoffNote: 'Keep me', handoffMember: '', note: '' });
    expect(forms.openFor(1)).toBe('handoff');
  });
});

describe('ActionForms: one-click choices', () => {
  it('closes the picker once the action worked, and keeps it open when it failed', async () => {
    const forms = new ActionForms();
    forms.open(1, 'snooze');
    expect(await forms.choose(1, { type: 'snooze', minutes: 60 }, failing())).toBe(false);
    expect(forms.openFor(1)).toBe('snooze');

    const perform = succeeding();
    expect(await forms.choose(1, { type: 'snooze', minutes: 60 }, perform)).toBe(true);
    expect(perform).toHaveBeenCalledWith(1, { type: 'snooze', minutes: 60 });
    expect(forms.openFor(1)).toBeNull();
  });

  it('leaves a form alone that was opened on another conversation meanwhile', async () => {
    const forms = new ActionForms();
    forms.open(1, 'done');
    let finish: (ok: boolean) => void = () => undefined;
    const pending = forms.choose(1, { type: 'mark_done', reason: 'spam' }, () => new Promise((r) => (finish = r)));
    forms.open(2, 'note');
    finish(true);
    await pending;
    expect(forms.openFor(2)).toBe('note');
  });
});
