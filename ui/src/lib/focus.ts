// Moves keyboard focus to an element when it appears (an attachment: `{@attach focusOnMount}`).
export function focusOnMount(node: HTMLElement): void {
  node.focus({ preventScroll: true });
}
