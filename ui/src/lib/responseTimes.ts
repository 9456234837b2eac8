// What the Response times panel shows, as pure functions: business durations, the share within target, and the
// geometry of the daily-median bar chart (one small-multiples row per queue, all on one scale).
import type { QueueId, QueueResponseTimes, ResponseTimesReport } from './bindings';
import { safeColor } from './format';

/** The periods a lead can pick, in days. */
export const PERIODS = [7, 30, 90] as const;
export type Period = (typeof PERIODS)[number];
export const DEFAULT_PERIOD: Period = 7;

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** Shown where there is no number (no responses). */
export const NONE = '—';

/**
 * A business-time duration (working hours only): "45 s", "12 min", "2 h", "2 h 10 min", "26 h"; "—" for null.
 * Never in days: a "day" of business time is ambiguous (24 h or one working day), so hours stay hours.
 */
export function formatBusinessDuration(millis: number | null): string {
  if (millis === null || !Number.isFinite(millis)) return NONE;
  const ms = Math.max(0, millis);
  const seconds = Math.round(ms / SECOND);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.max(1, Math.round(ms / MINUTE));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}

/** "1 response", "4 responses". */
export function responsesText(count: number): string {
  return count === 1 ? '1 response' : `${count} responses`;
}

/**
 * The share answered before the SLA's breach deadline: "18 of 20 within target (90 %)"; "No SLA" when the queue
 * has none; "—" without responses. The percentage is rounded down, so 199 of 200 never reads as 100 %.
 */
export function withinTargetText(row: Pick<QueueResponseTimes, 'responses' | 'within_target'>): string {
  if (row.within_target === null) return 'No SLA';
  if (row.responses <= 0) return NONE;
  const percent = Math.floor((row.within_target / row.responses) * 100);
  return `${row.within_target} of ${row.responses} within target (${percent} %)`;
}

/** Whether any queue had a response in the period. */
export function hasResponses(report: ResponseTimesReport): boolean {
  return report.queues.some((q) => q.responses > 0);
}

/** The empty state: "No responses in the last 7 days" ("today" for one day). */
export function emptyText(days: number): string {
  return days === 1 ? 'No responses today' : `No responses in the last ${days} days`;
}

/** The accessible text of one bar: "Support, 2026-12-01: median 12 min over 4 responses". */
export function barTitle(queue: string, day: string, medianMillis: number, responses: number): string {
  return `${queue}, ${day}: median ${formatBusinessDuration(medianMillis)} over ${responsesText(responses)}`;
}

const NICE_MAXIMA: readonly number[] = [
  ...[1, 2, 5, 10, 15, 30].map((s) => s * SECOND),
  ...[1, 2, 5, 10, 15, 20, 30, 45].map((m) => m * MINUTE),
  ...[1, 2, 3, 4, 6, 8, 12, 16, 24].map((h) => h * HOUR),
];

/** The y-axis maximum: the smallest round duration at or above `millis` (past 24 h, a multiple of 12 h). */
export function niceAxisMax(millis: number): number {
  const nice = NICE_MAXIMA.find((step) => step >= millis);
  if (nice !== undefined) return nice;
  return Math.ceil(millis / (12 * HOUR)) * 12 * HOUR;
}

/** The chart's layout, in SVG user units (the drawing scales to the panel's width). */
export const CHART = {
  width: 480,
  /** Left gutter for the axis labels. */
  axis: 58,
  /** The queue's name above its row. */
  label: 18,
  /** The bars' height at the axis maximum. */
  plot: 44,
  gap: 12,
  /** Day labels under the last row. */
  footer: 18,
  /** The widest a bar gets (7 days would otherwise draw slabs). */
  maxBar: 30,
  /** A day whose median is 0 (answered outside working hours) still shows a sliver. */
  minBar: 1.5,
} as const;

export interface ChartBar {
  day: string;
  x: number;
  y: number;
  width: number;
  height: number;
  title: string;
}

export interface ChartRow {
  id: QueueId;
  label: string;
  color: string;
  /** Top of the row (its label's line). */
  top: number;
  /** Top of the plot area; its baseline is at `plotTop + CHART.plot`. */
  plotTop: number;
  bars: ChartBar[];
}

export interface ChartGeometry {
  height: number;
  plotLeft: number;
  plotRight: number;
  /** The scale's maximum (ms) and its words. */
  axisMax: number;
  axisLabel: string;
  firstDay: string;
  lastDay: string;
  /** Where the day labels sit (their baseline). */
  footerY: number;
  rows: ChartRow[];
}

const round = (value: number) => Math.round(value * 100) / 100;

/**
 * The daily-median bars of every queue with responses, scaled to the largest daily median among them (rounded up
 * to a nice value); days without responses have no bar. Null when no queue had a response.
 */
export function chartGeometry(report: ResponseTimesReport): ChartGeometry | null {
  const shown = report.queues.filter((q) => q.responses > 0);
  if (shown.length === 0 || report.days.length === 0) return null;

  let largest = 0;
  for (const queue of shown) {
    for (const day of queue.per_day) {
      if (day.responses > 0 && day.median_millis !== null) largest = Math.max(largest, day.median_millis);
    }
  }
  const axisMax = niceAxisMax(largest);
  const plotLeft = CHART.axis;
  const plotRight = CHART.width - 2;
  const slot = (plotRight - plotLeft) / report.days.length;
  const barWidth = Math.min(CHART.maxBar, Math.max(1, slot * 0.72));
  const stride = CHART.label + CHART.plot + CHART.gap;

  const rows = shown.map((queue, index): ChartRow => {
    const top = index * stride;
    const plotTop = top + CHART.label;
    const bars: ChartBar[] = [];
    report.days.forEach((day, i) => {
      const entry = queue.per_day[i];
      if (!entry || entry.responses <= 0 || entry.median_millis === null) return;
      const height = Math.max(CHART.minBar, (Math.min(entry.median_millis, axisMax) / axisMax) * CHART.plot);
      bars.push({
        day,
        x: round(plotLeft + i * slot + (slot - barWidth) / 2),
        y: round(plotTop + CHART.plot - height),
        width: round(barWidth),
        height: round(height),
        title: barTitle(queue.queue.label, day, entry.median_millis, entry.responses),
      });
    });
    return { id: queue.queue.id, label: queue.queue.label, color: safeColor(queue.queue.color), top, plotTop, bars };
  });

  const bottom = (shown.length - 1) * stride + CHART.label + CHART.plot;
  return {
    height: bottom + CHART.footer,
    plotLeft,
    plotRight,
    axisMax,
    axisLabel: formatBusinessDuration(axisMax),
    firstDay: report.days[0]!,
    lastDay: report.days[report.days.length - 1]!,
    footerY: bottom + CHART.footer - 4,
    rows,
  };
}
