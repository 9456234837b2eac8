// The reason prompt of "Hide from the Page": which item it is open for, what is typed, and why it cannot go ahead;
// hiding and showing again go through the conversation's actions (the backend logs them).
import type { Perform } from './actionForms.svelte';
import { hideReasonProblem } from './hiding';

export class HidePrompt {
  /** The item the prompt is open for, if any. */
  itemId = $state<number | null>(null);
  reason = $state('');
  /** Why the typed reason cannot be sent, in words. */
  problem = $state<string | null>(null);

  isOpenFor(itemId: number): boolean {
    return this.itemId === itemId;
  }

  open(itemId: number): void {
    this.itemId = itemId;
    this.reason = '';
    this.problem = null;
  }

  cancel(): void {
    this.itemId = null;
    this.reason = '';
    this.problem = null;
  }

  edit(reason: string): void {
    this.reason = reason;
    this.problem = null;
  }

  /** Hides the item the prompt is open for, with the typed reason; closes once the backend did it. */
  async hide(conversationId: number, perform: Perform): Promise<boolean> {
    const itemId = this.itemId;
    if (itemId === null) return false;
    const problem = hideReasonProblem(this.reason);
    if (problem !== null) {
      this.problem = problem;
      return false;
    }
    const ok = await perform(conversationId, { type: 'set_item_hidden', itemId, hidden: true, reason: this.reason.trim() });
    if (ok && this.itemId === itemId) this.cancel();
    return ok;
  }

  /** Shows item `itemId` to the public again. */
  show(conversationId: number, itemId: number, perform: Perform): Promise<boolean> {
    return perform(conversationId, { type: 'set_item_hidden', itemId, hidden: false, reason: '' });
  }
}
