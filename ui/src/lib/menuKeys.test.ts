import { describe, expect, it } from 'vitest';
import { menuMove } from './menuKeys';

describe('menuMove', () => {
  it('moves with the arrows and j/k, wrapping at both ends', () => {
    expect(menuMove('ArrowDown', 0, 3)).toBe(1);
    expect(menuMove('j', 2, 3)).toBe(0);
    expect(menuMove('ArrowUp', 0, 3)).toBe(2);
    expect(menuMove('k', 2, 3)).toBe(1);
  });

  it('jumps with Home and End, and starts from an end when nothing is active', () => {
    expect(menuMove('Home', 2, 3)).toBe(0);
    expect(menuMove('End', 0, 3)).toBe(2);
    expect(menuMove('ArrowDown', -1, 3)).toBe(0);
    expect(menuMove('ArrowUp', -1, 3)).toBe(2);
  });

  it('ignores other keys and empty menus', () => {
    expect(menuMove('x', 0, 3)).toBeNull();
    expect(menuMove('ArrowDown', 0, 0)).toBeNull();
  });
});
