import { describe, expect, it } from 'vitest';
import { slaLabel, slaNow, slaStateAt } from './sla';
import { slaView } from './testFixtures';

const s = 1000;
const m = 60 * s;
const h = 60 * m;

// At risk at T+30 m, due at T+60 m, escalated at T+90 m.
const T = 1_700_000_000_000;
const sla = slaView(T + 30 * m, T + 60 * m, T + 90 * m);

describe('slaStateAt', () => {
  it.each([
    [T, 'on_track'],
    [T + 30 * m - 1, 'on_track'],
    [T + 30 * m, 'at_risk'],
    [T + 60 * m - 1, 'at_risk'],
    [T + 60 * m, 'breached'],
    [T + 90 * m - 1, 'breached'],
    [T + 90 * m, 'escalated'],
    [T + 10 * h, 'escalated'],
  ] as const)('at %i reads %s', (now, expected) => {
    expect(slaStateAt(sla, now)).toBe(expected);
  });

  it('follows the instants, not the state read earlier', () => {
    expect(slaStateAt({ ...sla, state: 'breached' }, T)).toBe('on_track');
    expect(slaStateAt({ ...sla, state: 'on_track' }, T + 90 * m)).toBe('escalated');
  });

  it('goes straight to the latest state when instants coincide', () => {
    const same = slaView(T, T, T);
    expect(slaStateAt(same, T - 1)).toBe('on_track');
    expect(slaStateAt(same, T)).toBe('escalated');
  });
});

describe('slaNow', () => {
  it('counts down to the due time while on track', () => {
    expect(slaNow(sla, T)).toEqual({
      state: 'on_track',
      label: 'On track',
      countdown: 'due in 1 h',
      overdue: false,
      hint: 'first reply',
      description: 'On track: First reply due in 1 h',
    });
  });

  it('is at risk from the at-risk instant, still counting down', () => {
    expect(slaNow(sla, T + 30 * m - 1)).toMatchObject({ state: 'on_track', countdown: 'due in 30 m' });
    expect(slaNow(sla, T + 30 * m)).toMatchObject({ state: 'at_risk', label: 'At risk', countdown: 'due in 30 m' });
    expect(slaNow(sla, T + 48 * m)).toMatchObject({ state: 'at_risk', countdown: 'due in 12 m' });
  });

  it('shows the last second before the due time, then overdue from the due instant', () => {
    expect(slaNow(sla, T + 60 * m - 1)).toMatchObject({ state: 'at_risk', countdown: 'due in 0 s', overdue: false });
    expect(slaNow(sla, T + 60 * m)).toMatchObject({
      state: 'breached',
      label: 'Breached',
      countdown: 'overdue 0 s',
      overdue: true,
    });
    expect(slaNow(sla, T + 65 * m)).toMatchObject({ state: 'breached', countdown: 'overdue 5 m' });
  });

  it('escalates at the escalation instant and keeps counting from the due time', () => {
    expect(slaNow(sla, T + 90 * m - 1)).toMatchObject({ state: 'breached', countdown: 'overdue 29 m' });
    expect(slaNow(sla, T + 90 * m)).toMatchObject({ state: 'escalated', label: 'Escalated', countdown: 'overdue 30 m' });
    expect(slaNow(sla, T + 60 * m + 2 * h + 10 * m)).toMatchObject({ countdown: 'overdue 2 h 10 m' });
  });

  it('says whether the clock is for the first or the next reply', () => {
    expect(slaNow({ ...sla, first_response: false }, T + 65 * m)).toMatchObject({
      hint: 'next reply',
      description: 'Breached: Next reply overdue 5 m',
    });
  });
});

describe('slaLabel', () => {
  it('names every state', () => {
    expect((['on_track', 'at_risk', 'breached', 'escalated'] as const).map(slaLabel)).toEqual([
      'On track',
      'At risk',
      'Breached',
      'Escalated',
    ]);
  });
});
