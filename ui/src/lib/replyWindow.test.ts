import { describe, expect, it } from 'vitest';
import { shortLeft, windowName, windowStatus, WINDOW_WARNING_MS } from './replyWindow';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
// Local times, so the clock times read the same in every time zone.
const NOW = new Date(2026, 11, 6, 11, 55).getTime();
const CLOSES = new Date(2026, 11, 6, 14, 5).getTime();
const TAG_UNTIL = new Date(2026, 11, 12, 14, 5).getTime();

describe('windowStatus', () => {
  it('says when the Messenger window closes and how long is left', () => {
    const status = windowStatus({ closes_at: CLOSES, human_agent_until: null }, 'facebook', NOW);
    expect(status).toEqual({
      phase: 'open',
      badge: '2 h left',
      sentence: 'Messenger window closes at 14:05 (2 h 10 m left).',
      canReply: true,
    });
  });

  it('adds until when the human-agent tag still allows an answer', () => {
    const status = windowStatus({ closes_at: CLOSES, human_agent_until: TAG_UNTIL }, 'facebook', NOW);
    expect(status.sentence).toMatch(/^Messenger window closes at 14:05 \(2 h 10 m left\); after that, until .*12.*, 14:05 with the human-agent tag\.$/);
  });

  it('names the Instagram window for Instagram', () => {
    expect(windowName('instagram')).toBe('Instagram messaging window');
    expect(windowStatus({ closes_at: CLOSES, human_agent_until: null }, 'instagram', NOW).sentence).toMatch(
      /^Instagram messaging window closes at 14:05/,
    );
  });

  it('turns to a warning under an hour left, and counts down as the clock runs', () => {
    const window = { closes_at: CLOSES, human_agent_until: null };
    expect(windowStatus(window, 'facebook', CLOSES - WINDOW_WARNING_MS).phase).toBe('open');
    const closing = windowStatus(window, 'facebook', CLOSES - 45 * MINUTE);
    expect(closing.phase).toBe('closing');
    expect(closing.badge).toBe('45 m left');
    expect(windowStatus(window, 'facebook', CLOSES - 30_000).badge).toBe('30 s left');
  });

  it('past the window with no tag: closed, cannot reply, says why in plain words', () => {
    const status = windowStatus({ closes_at: CLOSES, human_agent_until: null }, 'facebook', CLOSES + HOUR);
    expect(status.phase).toBe('closed');
    expect(status.badge).toBe('Window closed');
    expect(status.canReply).toBe(false);
    expect(status.sentence).toBe(
      "The Messenger window closed at 14:05. Meta lets a Page answer a message only within 24 hours of the customer's latest one. You can answer again once the customer writes.",
    );
  });

  it('past the window but within the human-agent tag: can still reply, with the tag', () => {
    const status = windowStatus({ closes_at: CLOSES, human_agent_until: TAG_UNTIL }, 'facebook', CLOSES + HOUR);
    expect(status.phase).toBe('human_agent');
    expect(status.canReply).toBe(true);
    expect(status.badge).toBe('Tag: 5 d left');
    expect(status.sentence).toContain('The 24-hour Messenger window closed at 14:05.');
    expect(status.sentence).toContain('human-agent tag');
  });

  it('past the tag too: closed', () => {
    const status = windowStatus({ closes_at: CLOSES, human_agent_until: TAG_UNTIL }, 'instagram', TAG_UNTIL + 1);
    expect(status.phase).toBe('closed');
    expect(status.canReply).toBe(false);
    expect(status.sentence).toContain('or within 7 days with the human-agent tag');
  });
});

describe('shortLeft', () => {
  it('is short: days past two days, hours, minutes, seconds', () => {
    expect(shortLeft(3 * 24 * HOUR)).toBe('3 d');
    expect(shortLeft(23 * HOUR + 59 * MINUTE)).toBe('23 h');
    expect(shortLeft(59 * MINUTE)).toBe('59 m');
    expect(shortLeft(-5)).toBe('0 s');
  });
});
