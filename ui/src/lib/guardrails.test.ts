import { describe, expect, it } from 'vitest';
import { carryFindings, highlightSegments } from './guardrails';
import { finding } from './testFixtures';

describe('highlightSegments', () => {
  it('cuts the exact span out, with the text around it, and joins back to the text', () => {
    const text = 'Call me on +44 20 7946 0958 tonight';
    const segments = highlightSegments(text, [finding('phone_number', text, '+44 20 7946 0958')]);
    expect(segments).toEqual([
      { text: 'Call me on ', rule: null, action: null },
      { text: '+44 20 7946 0958', rule: 'phone_number', action: 'warn' },
      { text: ' tonight', rule: null, action: null },
    ]);
    expect(segments.map((s) => s.text).join('')).toBe(text);
  });

  it('takes spans as UTF-16 offsets: an emoji before the span does not shift it', () => {
    const text = '🙂👍🏽 WhatsApp me at +34 600 000 000';
    const f = finding('messaging_app', text, 'WhatsApp me');
    expect(f.start).toBe(7); // two emoji: 2 + 4 code units, then a space
    const flagged = highlightSegments(text, [f]).filter((s) => s.rule !== null);
    expect(flagged).toEqual([{ text: 'WhatsApp me', rule: 'messaging_app', action: 'warn' }]);
  });

  it('orders spans, clips them to the text and leaves an overlapping one out of the highlight', () => {
    const text = 'mail me: me@gmail.com';
    const segments = highlightSegments(text, [
      { ...finding('personal_email', text, 'me@gmail.com'), action: 'block' },
      finding('mail_me', text, 'mail me'),
      finding('overlap', text, 'me: me'),
      { ...finding('past_end', text, 'com'), end: 99 },
    ]);
    expect(segments.filter((s) => s.rule !== null).map((s) => [s.rule, s.text, s.action])).toEqual([
      ['mail_me', 'mail me', 'warn'],
      ['personal_email', 'me@gmail.com', 'block'],
    ]);
    expect(segments.map((s) => s.text).join('')).toBe(text);
  });

  it('is the plain text when nothing was found', () => {
    expect(highlightSegments('Thanks!', [])).toEqual([{ text: 'Thanks!', rule: null, action: null }]);
    expect(highlightSegments('', [])).toEqual([{ text: '', rule: null, action: null }]);
  });
});

describe('carryFindings', () => {
  const checked = 'Text me on 555 0100 please, calm down';
  const phone = finding('phone_number', checked, '555 0100');
  const tone = finding('calm_down', checked, 'calm down', { kind: 'tone' });

  it('keeps the spans before an edit and moves those after it', () => {
    const text = checked.replace('please', 'please 🙏');
    const carried = carryFindings(checked, [phone, tone], text);
    expect(carried.map((f) => text.slice(f.start, f.end))).toEqual(['555 0100', 'calm down']);
  });

  it('drops a span the edit touches', () => {
    const text = checked.replace('555 0100', '555 01009');
    expect(carryFindings(checked, [phone, tone], text).map((f) => f.rule)).toEqual(['calm_down']);
    expect(carryFindings(checked, [tone], checked + 'x')).toEqual([]);
  });
});
