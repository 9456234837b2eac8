// Keyboard focus helpers: focus on appearing, the elements Tab reaches, and the reply box.

/** Moves keyboard focus to an element when it appears (an attachment: `{@attach focusOnMount}`). */
export function focusOnMount(node: HTMLElement): void {
  node.focus({ preventScroll: true });
}

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/** The elements inside `root` that Tab reaches, in order. */
export function focusables(root: HTMLElement): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(FOCUSABLE)];
}

export const REPLY_INPUT_ID = 'reply-input';

/** Puts the cursor in the open conversation's reply box; false when there is none. */
export function focusReplyBox(doc: Pick<Document, 'getElementById'> = document): boolean {
  const input = doc.getElementById(REPLY_INPUT_ID);
  if (!input) return false;
  input.focus();
  return true;
}
