import { describe, expect, it } from 'vitest';
import { formatAge, formatClockTime, formatItemTime, kindLabel, platformLabel, safeColor, waitStatus } from './format';
import { conversation } from './testFixtures';

const NOW = 1_700_000_000_000;
const s = 1000;
const m = 60 * s;
const h = 60 * m;
const d = 24 * h;

describe('formatAge', () => {
  it.each([
    [0, '0 s'],
    [999, '0 s'],
    [45 * s, '45 s'],
    [59 * s + 999, '59 s'],
    [60 * s, '1 m'],
    [12 * m + 30 * s, '12 m'],
    [59 * m + 59 * s, '59 m'],
    [1 * h, '1 h'],
    [2 * h + 10 * m, '2 h 10 m'],
    [2 * h + 10 * m + 59 * s, '2 h 10 m'],
    [23 * h + 59 * m, '23 h 59 m'],
    [1 * d, '1 d'],
    [3 * d + 5 * h, '3 d'],
    [400 * d, '400 d'],
  ])('%i ms ago reads "%s"', (elapsed, expected) => {
    expect(formatAge(NOW - elapsed, NOW)).toBe(expected);
  });

  it('treats a time in the future (clock skew) as just now', () => {
    expect(formatAge(NOW + 5 * s, NOW)).toBe('0 s');
  });
});

describe('waitStatus', () => {
  it('counts a waiting conversation from waiting_since', () => {
    const c = conversation(1, 'support', { waiting_since: NOW - 45 * s, last_activity_at: NOW - 10 * s });
    expect(waitStatus(c, NOW)).toEqual({
      waiting: true,
      label: 'Waiting',
      age: '45 s',
      description: 'Waiting for the brand for 45 s',
    });
  });

  it('shows an answered conversation with the time since its last activity', () => {
    const c = conversation(1, 'support', { waiting_since: null, last_activity_at: NOW - 12 * m });
    expect(waitStatus(c, NOW)).toEqual({
      waiting: false,
      label: 'Answered',
      age: '12 m ago',
      description: 'Answered; last activity 12 m ago',
    });
  });
});

describe('labels', () => {
  it('names every platform', () => {
    expect(
      (['mastodon', 'bluesky', 'x', 'facebook', 'instagram', 'linked_in', 'you_tube'] as const).map(platformLabel),
    ).toEqual(['Mastodon', 'Bluesky', 'X', 'Facebook', 'Instagram', 'LinkedIn', 'YouTube']);
  });

  it('names every kind', () => {
    expect((['mention', 'reply', 'quote', 'comment', 'direct_message'] as const).map(kindLabel)).toEqual([
      'Mention',
      'Reply',
      'Quote',
      'Comment',
      'DM',
    ]);
  });
});

describe('safeColor', () => {
  it('keeps hex colours', () => {
    expect(safeColor('#2f80ed')).toBe('#2f80ed');
    expect(safeColor('#ABC')).toBe('#ABC');
  });

  it('replaces anything else with a neutral grey', () => {
    expect(safeColor('red; background: url(x)')).toBe('#8a8f98');
    expect(safeColor('')).toBe('#8a8f98');
  });
});

describe('formatItemTime', () => {
  const now = new Date(2024, 4, 3, 18, 0).getTime();

  it('shows only the clock time for today', () => {
    expect(formatItemTime(new Date(2024, 4, 3, 14, 5).getTime(), now, 'en-GB')).toBe('14:05');
  });

  it('adds the day for earlier days, and the year for earlier years', () => {
    expect(formatItemTime(new Date(2024, 4, 2, 14, 5).getTime(), now, 'en-GB')).toBe('2 May, 14:05');
    expect(formatItemTime(new Date(2023, 11, 31, 9, 30).getTime(), now, 'en-GB')).toBe('31 Dec 2023, 09:30');
  });
});

describe('formatClockTime', () => {
  const now = new Date(2024, 4, 3, 18, 0).getTime();

  it('shows HH:MM on a 24-hour clock for today', () => {
    expect(formatClockTime(new Date(2024, 4, 3, 9, 5).getTime(), now, 'en-US')).toBe('09:05');
    expect(formatClockTime(new Date(2024, 4, 3, 23, 45).getTime(), now, 'en-US')).toBe('23:45');
  });

  it('adds the day for another day', () => {
    expect(formatClockTime(new Date(2024, 4, 4, 14, 5).getTime(), now, 'en-GB')).toBe('4 May, 14:05');
  });
});
