import { describe, expect, it } from 'vitest';
import type { SpikeView } from './bindings';
import { spikeLabel, spikeTitle } from './spike';

const spike = (overrides: Partial<SpikeView> = {}): SpikeView => ({
  since: 1_000,
  count: 46,
  window_minutes: 10,
  factor: 5,
  top_words: ['outage', 'login'],
  keyword: null,
  ...overrides,
});

describe('spike words', () => {
  it('says the factor for a glance and the rest in the title', () => {
    expect(spikeLabel(spike())).toBe('Spike · 5×');
    expect(spikeLabel(spike({ factor: 2.46 }))).toBe('Spike · 2.5×');
    expect(spikeLabel(spike({ factor: 12.6 }))).toBe('Spike · 13×');
    expect(spikeTitle(spike())).toBe('46 new in 10 min, 5× usual — top words: outage, login');
  });

  it('names the keyword of a keyword spike, and leaves out top words when there are none', () => {
    expect(spikeTitle(spike({ keyword: 'refund', top_words: [] }))).toBe('46 new about “refund” in 10 min, 5× usual');
  });
});
