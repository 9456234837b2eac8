// Moving through a menu with the keyboard: arrows or j/k (wrapping), Home and End.

/** The item index after `key` in a menu of `length` items, or null when the key does not move. */
export function menuMove(key: string, index: number, length: number): number | null {
  if (length <= 0) return null;
  const from = index < 0 || index >= length ? -1 : index;
  switch (key) {
    case 'ArrowDown':
    case 'j':
      return from < 0 ? 0 : (from + 1) % length;
    case 'ArrowUp':
    case 'k':
      return from < 0 ? length - 1 : (from - 1 + length) % length;
    case 'Home':
      return 0;
    case 'End':
      return length - 1;
    default:
      return null;
  }
}
