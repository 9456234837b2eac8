// The inline action forms of the open conversation: which one is open, what has been typed (kept per
// conversation until it is sent), and submitting them. What is typed survives a failed send.
import { chosenTarget, noteProblem, type ConversationAction, type FormName } from './actions';
import type { Queue, QueueId } from './bindings';

export interface Drafts {
  /** The queue picked in the hand-off form; null until the person picks one. */
  handoffQueue: QueueId | null;
  handoffNote: string;
  /** In a team, the teammate (id) to hand it to; '' for anyone in the queue. */
  handoffMember: string;
  note: string;
}

export const EMPTY_DRAFTS: Drafts = Object.freeze({ handoffQueue: null, handoffNote: '', handoffMember: '', note: '' });

/** Runs an action on a conversation; resolves with whether it worked. */
export type Perform = (conversationId: number, action: ConversationAction) => Promise<boolean>;

export class ActionForms {
  private opened = $state.raw<{ conversationId: number; form: FormName } | null>(null);
  private drafts = $state.raw<Readonly<Record<number, Drafts>>>({});
  /** A problem found before asking the backend (an empty note), for the form it is about. */
  private problem = $state.raw<{ conversationId: number; message: string } | null>(null);

  /** The form open on this conversation, if any. */
  openFor(conversationId: number | null): FormName | null {
    return this.opened !== null && this.opened.conversationId === conversationId ? this.opened.form : null;
  }

  /** Whether any form is open (on whichever conversation). */
  get isOpen(): boolean {
    return this.opened !== null;
  }

  open(conversationId: number, form: FormName): void {
    this.opened = { conversationId, form };
    this.problem = null;
  }

  /** Opens the form, or closes it when it is already open. */
  toggle(conversationId: number, form: FormName): void {
    if (this.openFor(conversationId) === form) this.close();
    else this.open(conversationId, form);
  }

  /** Closes the open form; what was typed stays for next time. */
  close(): void {
    this.opened = null;
    this.problem = null;
  }

  draft(conversationId: number): Drafts {
    return this.drafts[conversationId] ?? EMPTY_DRAFTS;
  }

  edit(conversationId: number, change: Partial<Drafts>): void {
    this.drafts = { ...this.drafts, [conversationId]: { ...this.draft(conversationId), ...change } };
    if (this.problem?.conversationId === conversationId) this.problem = null;
  }

  problemFor(conversationId: number | null): string | null {
    return this.problem !== null && this.problem.conversationId === conversationId ? this.problem.message : null;
  }

  /** Sends the hand-off form to the chosen queue (or the first target); clears it once it worked. */
  async submitHandoff(conversationId: number, targets: readonly Queue[], perform: Perform): Promise<boolean> {
    const draft = this.draft(conversationId);
    const queue = chosenTarget(draft.handoffQueue, targets);
    if (queue === null) return this.reject(conversationId, 'There is no other queue to hand off to.');
    const problem = noteProblem(draft.handoffNote);
    if (problem !== null) return this.reject(conversationId, problem);
    const note = draft.handoffNote.trim();
    const action: ConversationAction =
      draft.handoffMember !== ''
        ? { type: 'hand_off', queue, note, toMember: draft.handoffMember }
        : { type: 'hand_off', queue, note };
    const ok = await perform(conversationId, action);
    if (ok) this.finish(conversationId, { handoffQueue: null, handoffNote: '', handoffMember: '' });
    return ok;
  }

  /** Sends the note form; clears it once it worked. */
  async submitNote(conversationId: number, perform: Perform): Promise<boolean> {
    const draft = this.draft(conversationId);
    const problem = noteProblem(draft.note);
    if (problem !== null) return this.reject(conversationId, problem);
    const ok = await perform(conversationId, { type: 'add_note', note: draft.note.trim() });
    if (ok) this.finish(conversationId, { note: '' });
    return ok;
  }

  /** Runs a one-click action (a done reason, a snooze length, claim…); closes the form once it worked. */
  async choose(conversationId: number, action: ConversationAction, perform: Perform): Promise<boolean> {
    this.problem = null;
    const ok = await perform(conversationId, action);
    if (ok && this.opened?.conversationId === conversationId) this.close();
    return ok;
  }

  private reject(conversationId: number, message: string): false {
    this.problem = { conversationId, message };
    return false;
  }

  private finish(conversationId: number, cleared: Partial<Drafts>): void {
    const rest = { ...this.draft(conversationId), ...cleared };
    const next = { ...this.drafts };
    if (rest.note === '' && rest.handoffNote === '' && rest.handoffQueue === null && rest.handoffMember === '') {
      delete next[conversationId];
    }
    else next[conversationId] = rest;
    this.drafts = next;
    if (this.opened?.conversationId === conversationId) this.close();
  }
}
