import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Activity } from './bindings';
import { PRESENCE_REPEAT_MS, PresenceAnnouncer, TYPING_WINDOW_MS } from './presence';

function announcer() {
  let now = 0;
  const told: Array<[number | null, Activity | null]> = [];
  const announce = vi.fn(async (id: number | null, activity: Activity | null) => {
    told.push([id, activity]);
  });
  const presence = new PresenceAnnouncer(announce, () => now);
  return { presence, told, announce, advance: (ms: number) => (now += ms) };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('PresenceAnnouncer', () => {
  it('says viewing when a thread opens, and nothing once the person leaves it', () => {
    const { presence, told } = announcer();
    presence.follow(7);
    presence.follow(7);
    presence.follow(8);
    presence.follow(null);
    presence.follow(null);
    expect(told).toEqual([
      [7, 'viewing'],
      [8, 'viewing'],
      [null, null],
    ]);
  });

  it('says replying at the first keystroke with text, and viewing again after a quiet while or an empty box', () => {
    const { presence, told, advance } = announcer();
    presence.follow(7);
    presence.typed(7, 'H');
    presence.typed(7, 'Hi');
    presence.typed(8, 'elsewhere');
    expect(told).toEqual([
      [7, 'viewing'],
      [7, 'replying'],
    ]);
    advance(TYPING_WINDOW_MS);
    presence.tick();
    expect(told[told.length - 1]).toEqual([7, 'viewing']);
    presence.typed(7, 'Hi!');
    presence.typed(7, '');
    expect(told.slice(-2)).toEqual([
      [7, 'replying'],
      [7, 'viewing'],
    ]);
  });

  it('repeats every few seconds while it lasts, and clears when stopped', () => {
    vi.useFakeTimers();
    const { presence, told } = announcer();
    presence.follow(7);
    presence.start();
    vi.advanceTimersByTime(PRESENCE_REPEAT_MS * 2);
    expect(told).toEqual([
      [7, 'viewing'],
      [7, 'viewing'],
      [7, 'viewing'],
      [7, 'viewing'],
    ]);
    presence.stop();
    vi.advanceTimersByTime(PRESENCE_REPEAT_MS * 2);
    expect(told[told.length - 1]).toEqual([null, null]);
    expect(told).toHaveLength(5);
  });

  it('tells nothing while the window is hidden', () => {
    const { presence, told } = announcer();
    presence.follow(7);
    presence.setHidden(true);
    presence.tick();
    expect(told).toEqual([
      [7, 'viewing'],
      [null, null],
    ]);
    presence.setHidden(false);
    expect(told[told.length - 1]).toEqual([7, 'viewing']);
  });

  it('ignores failures: presence is best-effort', async () => {
    const presence = new PresenceAnnouncer(async () => {
      throw new Error('team offline');
    });
    expect(() => presence.follow(7)).not.toThrow();
    const throwing = new PresenceAnnouncer(() => {
      throw new Error('no backend');
    });
    expect(() => throwing.follow(7)).not.toThrow();
    await Promise.resolve();
  });
});
