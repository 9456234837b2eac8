// The saved-reply picker of the reply box (Ctrl+/): a search over the saved replies, chosen with ↑/↓ and Enter;
// the chosen one is filled in for the conversation (fill_saved_reply), its missing placeholders asked one form
// at a time, and the filled text handed back to go in at the cursor.
import { toBackendError } from './backend';
import type { PlaceholderAnswer, SavedReply } from './bindings';
import { moveIndex } from './keyboard';
import { searchSavedReplies, type ReplyPlace } from './savedReplies';

export type FillSavedReply = (conversationId: number, id: string, answers: PlaceholderAnswer[]) => Promise<{ text: string; missing: string[] }>;

/** What the picker shows. */
export type PickerStep =
  | { kind: 'closed' }
  | { kind: 'search' }
  /** The chosen reply's placeholders the conversation cannot fill: the person answers them. */
  | { kind: 'placeholders'; reply: SavedReply; missing: string[] };

export class SavedReplyPicker {
  step = $state.raw<PickerStep>({ kind: 'closed' });
  query = $state('');
  /** The highlighted option. */
  index = $state(0);
  /** What the person typed for each placeholder. */
  answers = $state<Record<string, string>>({});
  error = $state<string | null>(null);
  filling = $state(false);

  constructor(
    /** The saved replies (all of them; archived ones are never offered). */
    private readonly list: () => readonly SavedReply[],
    private readonly fill: FillSavedReply,
    /** Reads the saved replies when the picker opens, unless they are there. */
    private readonly load: () => Promise<void> = async () => undefined,
    /** Why the saved replies could not be read, if they could not. */
    private readonly loadProblem: () => string | null = () => null,
  ) {}

  /** Why there is nothing to offer: the saved replies could not be read. */
  get problem(): string | null {
    return this.loadProblem();
  }

  get isOpen(): boolean {
    return this.step.kind !== 'closed';
  }

  open(): void {
    this.step = { kind: 'search' };
    this.query = '';
    this.index = 0;
    this.answers = {};
    this.error = null;
    void this.load();
  }

  close(): void {
    this.step = { kind: 'closed' };
    this.error = null;
  }

  options(place: ReplyPlace): SavedReply[] {
    return searchSavedReplies(this.list(), this.query, place);
  }

  search(query: string): void {
    this.query = query;
    this.index = 0;
  }

  /** ↑/↓ in the search. */
  move(delta: 1 | -1, count: number): void {
    this.index = moveIndex(this.index, delta, count);
  }

  /**
   * Fills `reply` in for the conversation with the answers so far; resolves with the text to insert once nothing
   * is missing, or null while placeholders are still to answer (the form asks) or it failed (the error says why).
   */
  async choose(conversationId: number, reply: SavedReply): Promise<string | null> {
    if (this.filling) return null;
    this.filling = true;
    this.error = null;
    try {
      const answers = Object.entries(this.answers)
        .filter(([name]) => reply.placeholders.includes(name))
        .map(([name, value]) => ({ name, value }));
      const filled = await this.fill(conversationId, reply.id, answers);
      if (filled.missing.length > 0) {
        this.step = { kind: 'placeholders', reply, missing: filled.missing };
        for (const name of filled.missing) if (!(name in this.answers)) this.answers[name] = '';
        return null;
      }
      this.close();
      this.answers = {};
      return filled.text;
    } catch (reason) {
      this.error = toBackendError(reason).message;
      return null;
    } finally {
      this.filling = false;
    }
  }

  /** The placeholder form was submitted: fills again with the answers. */
  async insert(conversationId: number): Promise<string | null> {
    const step = this.step;
    if (step.kind !== 'placeholders') return null;
    const empty = step.missing.find((name) => (this.answers[name] ?? '').trim() === '');
    if (empty !== undefined) {
      this.error = `Fill in “${empty}” first.`;
      return null;
    }
    return this.choose(conversationId, step.reply);
  }
}
