import { describe, expect, it } from 'vitest';
import {
  barTitle,
  CHART,
  chartGeometry,
  emptyText,
  formatBusinessDuration,
  hasResponses,
  niceAxisMax,
  responsesText,
  withinTargetText,
} from './responseTimes';
import { queueResponseTimes, REPORT_DAYS, responseTimesReport } from './testFixtures';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

describe('formatBusinessDuration', () => {
  it('says seconds, minutes, then hours and minutes, never days', () => {
    expect(formatBusinessDuration(0)).toBe('0 s');
    expect(formatBusinessDuration(45 * SECOND)).toBe('45 s');
    expect(formatBusinessDuration(59.6 * SECOND)).toBe('1 min');
    expect(formatBusinessDuration(12 * MINUTE + 20 * SECOND)).toBe('12 min');
    expect(formatBusinessDuration(59 * MINUTE + 40 * SECOND)).toBe('1 h');
    expect(formatBusinessDuration(2 * HOUR + 10 * MINUTE)).toBe('2 h 10 min');
    expect(formatBusinessDuration(26 * HOUR)).toBe('26 h');
  });

  it('shows a dash without a number', () => {
    expect(formatBusinessDuration(null)).toBe('—');
    expect(formatBusinessDuration(Number.NaN)).toBe('—');
  });
});

describe('withinTargetText', () => {
  it('gives the count, the total and the share, rounded down', () => {
    expect(withinTargetText({ responses: 20, within_target: 18 })).toBe('18 of 20 within target (90 %)');
    expect(withinTargetText({ responses: 200, within_target: 199 })).toBe('199 of 200 within target (99 %)');
    expect(withinTargetText({ responses: 3, within_target: 0 })).toBe('0 of 3 within target (0 %)');
  });

  it('says "No SLA" for a queue without one, and a dash without responses', () => {
    expect(withinTargetText({ responses: 5, within_target: null })).toBe('No SLA');
    expect(withinTargetText({ responses: 0, within_target: null })).toBe('No SLA');
    expect(withinTargetText({ responses: 0, within_target: 0 })).toBe('—');
  });
});

describe('words', () => {
  it('counts responses and explains an empty period', () => {
    expect(responsesText(1)).toBe('1 response');
    expect(responsesText(4)).toBe('4 responses');
    expect(emptyText(7)).toBe('No responses in the last 7 days');
    expect(emptyText(1)).toBe('No responses today');
    expect(barTitle('Support', '2026-12-01', 12 * MINUTE, 4)).toBe('Support, 2026-12-01: median 12 min over 4 responses');
  });

  it('knows whether any queue had a response', () => {
    expect(hasResponses(responseTimesReport([queueResponseTimes('support', 'Support')]))).toBe(false);
    expect(hasResponses(responseTimesReport([queueResponseTimes('support', 'Support', { responses: 1 })]))).toBe(true);
  });
});

describe('niceAxisMax', () => {
  it('rounds up to a round duration', () => {
    expect(niceAxisMax(0)).toBe(SECOND);
    expect(niceAxisMax(7 * SECOND)).toBe(10 * SECOND);
    expect(niceAxisMax(12 * MINUTE)).toBe(15 * MINUTE);
    expect(niceAxisMax(15 * MINUTE)).toBe(15 * MINUTE);
    expect(niceAxisMax(50 * MINUTE)).toBe(HOUR);
    expect(niceAxisMax(5 * HOUR)).toBe(6 * HOUR);
    expect(niceAxisMax(30 * HOUR)).toBe(36 * HOUR);
  });
});

describe('chartGeometry', () => {
  const support = queueResponseTimes('support', 'Support', {
    responses: 6,
    per_day: [
      { responses: 2, median_millis: 12 * MINUTE },
      { responses: 0, median_millis: null },
      { responses: 4, median_millis: 6 * MINUTE },
    ],
  });
  const sales = queueResponseTimes('sales', 'Sales', {
    responses: 1,
    per_day: [
      { responses: 0, median_millis: null },
      { responses: 1, median_millis: 0 },
      { responses: 0, median_millis: null },
    ],
  });
  const idle = queueResponseTimes('triage', 'Triage');

  it('draws a row per queue with responses, scaled to the largest daily median rounded up', () => {
    const chart = chartGeometry(responseTimesReport([support, idle, sales]))!;
    expect(chart.rows.map((r) => r.id)).toEqual(['support', 'sales']);
    expect(chart.axisMax).toBe(15 * MINUTE);
    expect(chart.axisLabel).toBe('15 min');
    expect(chart.firstDay).toBe(REPORT_DAYS[0]);
    expect(chart.lastDay).toBe(REPORT_DAYS[2]);

    const [first, second] = chart.rows[0]!.bars;
    expect(chart.rows[0]!.bars.map((b) => b.day)).toEqual([REPORT_DAYS[0], REPORT_DAYS[2]]);
    expect(first!.height).toBeCloseTo((12 / 15) * CHART.plot, 1);
    expect(second!.height).toBeCloseTo((6 / 15) * CHART.plot, 1);
    // Bars stand on the baseline, in their day's slot, left to right.
    const baseline = chart.rows[0]!.plotTop + CHART.plot;
    expect(first!.y + first!.height).toBeCloseTo(baseline, 1);
    expect(first!.x).toBeGreaterThanOrEqual(chart.plotLeft);
    expect(second!.x + second!.width).toBeLessThanOrEqual(chart.plotRight);
    expect(first!.title).toBe('Support, 2026-11-29: median 12 min over 2 responses');
  });

  it('keeps a zero median visible, stacks the rows, and fits the days below the last one', () => {
    const chart = chartGeometry(responseTimesReport([support, sales]))!;
    const bar = chart.rows[1]!.bars[0]!;
    expect(bar.height).toBe(CHART.minBar);
    expect(bar.title).toBe('Sales, 2026-11-30: median 0 s over 1 response');
    expect(chart.rows[1]!.top).toBeGreaterThan(chart.rows[0]!.plotTop + CHART.plot);
    expect(chart.footerY).toBeGreaterThan(chart.rows[1]!.plotTop + CHART.plot);
    expect(chart.footerY).toBeLessThanOrEqual(chart.height);
  });

  it('keeps bars narrow over 7 days and thin but present over 90', () => {
    const week = chartGeometry(responseTimesReport([support]))!;
    expect(week.rows[0]!.bars[0]!.width).toBeLessThanOrEqual(CHART.maxBar);
    const days = Array.from({ length: 90 }, (_, i) => `d${i}`);
    const long = queueResponseTimes('support', 'Support', {
      responses: 90,
      per_day: days.map(() => ({ responses: 1, median_millis: HOUR })),
    });
    const quarter = chartGeometry(responseTimesReport([long], days))!;
    expect(quarter.rows[0]!.bars).toHaveLength(90);
    const last = quarter.rows[0]!.bars[89]!;
    expect(last.x + last.width).toBeLessThanOrEqual(quarter.plotRight);
    expect(last.width).toBeGreaterThanOrEqual(1);
  });

  it('has nothing to draw without responses, and uses a neutral colour for an odd one', () => {
    expect(chartGeometry(responseTimesReport([idle]))).toBeNull();
    const odd = { ...support, queue: { ...support.queue, color: 'red;background:url(x)' } };
    expect(chartGeometry(responseTimesReport([odd]))!.rows[0]!.color).toBe('#8a8f98');
  });
});
