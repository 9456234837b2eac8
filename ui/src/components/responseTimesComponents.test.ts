// The Response times panel and its chart, rendered to HTML (server-side, no DOM), with a fake backend.
import { render } from 'svelte/server';
import { describe, expect, it, vi } from 'vitest';
import type { ResponseTimesReport } from '../lib/bindings';
import { ResponseTimes } from '../lib/responseTimesState.svelte';
import { queueResponseTimes, responseTimesReport, unusedWorkspaceBackend } from '../lib/testFixtures';
import ResponseTimesPanel from './ResponseTimesPanel.svelte';
import ShortcutsHelp from './ShortcutsHelp.svelte';

const MINUTE = 60_000;
const HOSTILE = '<img src=x onerror=alert(1)><script>alert(2)</script>';

const SUPPORT = queueResponseTimes('support', 'Support', {
  responses: 20,
  first_responses: 12,
  median_millis: 12 * MINUTE,
  p90_millis: 2 * 60 * MINUTE + 10 * MINUTE,
  within_target: 18,
  per_day: [
    { responses: 16, median_millis: 10 * MINUTE },
    { responses: 0, median_millis: null },
    { responses: 4, median_millis: 12 * MINUTE },
  ],
});
const SALES = queueResponseTimes('sales', 'Sales', {
  queue: { id: 'sales', label: 'Sales', color: '#27ae60' },
  responses: 1,
  first_responses: 1,
  median_millis: 30_000,
  p90_millis: 30_000,
  per_day: [
    { responses: 0, median_millis: null },
    { responses: 1, median_millis: 30_000 },
    { responses: 0, median_millis: null },
  ],
});
const TRIAGE = queueResponseTimes('triage', 'Triage', { within_target: 0 });

function fakeBackend(answer: (days: number) => Promise<ResponseTimesReport>) {
  return { ...unusedWorkspaceBackend(), responseTimes: vi.fn(answer) };
}

async function opened(report: ResponseTimesReport = responseTimesReport([SUPPORT, SALES, TRIAGE])) {
  const backend = fakeBackend(async () => report);
  const responseTimes = new ResponseTimes(backend);
  await responseTimes.open();
  return { responseTimes, backend };
}

function panel(responseTimes: ResponseTimes) {
  return render(ResponseTimesPanel, { props: { responseTimes, now: 2_000 } }).body;
}

/** The HTML of one table row. */
function row(html: string, id: string): string {
  const start = html.lastIndexOf('<tr', html.indexOf(`data-testid="response-times-row-${id}"`));
  return html.slice(start, html.indexOf('</tr>', start) + '</tr>'.length);
}

describe('ResponseTimesPanel', () => {
  it('shows one table row per queue with its swatch, responses, median, 90th percentile and target', async () => {
    const { responseTimes } = await opened();
    const html = panel(responseTimes);
    expect(html).toMatch(/<aside[^>]*id="response-times-panel"[^>]*aria-label="Response times"/);
    expect(html.match(/data-testid="response-times-row-/g)).toHaveLength(3);

    const support = row(html, 'support');
    expect(support).toContain('background-color: #2f80ed');
    expect(support).toMatch(/>Support</);
    expect(support).toMatch(/data-testid="responses"[^>]*>20 .*\(12 first\)<\/span><!--\]--><\/td>/);
    expect(support).toMatch(/data-testid="median"[^>]*>12 min</);
    expect(support).toMatch(/data-testid="p90"[^>]*>2 h 10 min</);
    expect(support).toMatch(/data-testid="within-target"[^>]*>18 of 20 within target \(90 %\)</);

    expect(row(html, 'sales')).toMatch(/data-testid="within-target"[^>]*>No SLA</);
    const triage = row(html, 'triage');
    expect(triage).toMatch(/data-testid="median"[^>]*>—</);
    expect(triage).toMatch(/data-testid="within-target"[^>]*>—</);
  });

  it('draws a bar row per queue with responses, each bar with its words, the scale and the first and last day', async () => {
    const { responseTimes } = await opened();
    const html = panel(responseTimes);
    expect(html).toContain('data-testid="response-times-chart"');
    expect(html).toContain('data-testid="chart-row-support"');
    expect(html).toContain('data-testid="chart-row-sales"');
    expect(html).not.toContain('data-testid="chart-row-triage"');
    expect(html).toContain('<title>Support, 2026-12-01: median 12 min over 4 responses</title>');
    expect(html).toContain('<title>Sales, 2026-11-30: median 30 s over 1 response</title>');
    expect(html.match(/<rect /g)).toHaveLength(3);
    expect(html).toMatch(/<rect[^>]*fill="#27ae60"/);
    expect(html).toMatch(/>15 min<\/text>/);
    expect(html).toMatch(/data-testid="chart-first-day"[^>]*>2026-11-29</);
    expect(html).toMatch(/data-testid="chart-last-day"[^>]*>2026-12-01</);
  });

  it('keeps queue labels as text, in the table and the chart', async () => {
    const hostile = queueResponseTimes('x', HOSTILE, { ...SUPPORT, queue: { id: 'x', label: HOSTILE, color: '#000' } });
    const { responseTimes } = await opened(responseTimesReport([hostile]));
    const html = panel(responseTimes);
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<script');
    expect(html).toContain('&lt;img src=x onerror=alert(1)>');
  });

  it('says so when no queue had a response in the period', async () => {
    const { responseTimes } = await opened(responseTimesReport([queueResponseTimes('support', 'Support'), TRIAGE]));
    const html = panel(responseTimes);
    expect(html).toMatch(/data-testid="response-times-empty"[^>]*>No responses in the last 7 days</);
    expect(html).not.toContain('response-times-table');
    expect(html).not.toContain('response-times-chart');
  });

  it('shows the backend\'s words when loading fails, and Retry loads again', async () => {
    const backend = fakeBackend(async () => {
      throw { code: 'storage', message: 'The database is locked.' };
    });
    const responseTimes = new ResponseTimes(backend);
    await responseTimes.open();
    const html = panel(responseTimes);
    expect(html).toMatch(/data-testid="error"/);
    expect(html).toContain("Couldn't load the response times: The database is locked.");
    expect(html).toMatch(/<button[^>]*>Retry<\/button>/);

    backend.responseTimes.mockImplementation(async () => responseTimesReport([SUPPORT]));
    await responseTimes.start();
    expect(panel(responseTimes)).toContain('data-testid="response-times-row-support"');
  });

  it('shows Loading… until the report arrives', () => {
    const responseTimes = new ResponseTimes(fakeBackend(() => new Promise(() => undefined)));
    void responseTimes.open();
    expect(panel(responseTimes)).toContain('data-testid="loading"');
  });

  it('offers 7, 30 and 90 days, 7 first; picking 30 asks the backend for 30 days', async () => {
    const { responseTimes, backend } = await opened();
    expect(panel(responseTimes)).toMatch(/aria-pressed="true"[^>]*data-testid="period-7"[^>]*>Last 7 days</);
    expect(panel(responseTimes)).toMatch(/aria-pressed="false"[^>]*data-testid="period-30"/);
    expect(panel(responseTimes)).toContain('data-testid="period-90"');

    await responseTimes.setDays(30);
    expect(backend.responseTimes).toHaveBeenLastCalledWith(30);
    expect(panel(responseTimes)).toMatch(/aria-pressed="true"[^>]*data-testid="period-30"/);
  });

  it('is listed in the shortcuts help under t', () => {
    const html = render(ShortcutsHelp, { props: { onClose: () => undefined } }).body;
    expect(html).toMatch(/<kbd>t<\/kbd><\/dt> <dd[^>]*>Response times<\/dd>/);
  });
});
