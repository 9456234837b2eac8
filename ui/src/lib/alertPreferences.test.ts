import { describe, expect, it } from 'vitest';
import {
  cooldownChoices,
  cooldownLabel,
  draftChanged,
  draftFrom,
  draftProblem,
  joinWords,
  leadSummary,
  normalizeTime,
  pausedUntil,
  preferencesFrom,
  queueChoices,
  queueScopeSummary,
  quietHoursSummary,
  spansMidnight,
  toggleQueue,
  type AlertDraft,
} from './alertPreferences';
import { alertPrefs, queueSummary } from './testFixtures';

const QUEUES = [queueSummary('triage', 'Triage'), queueSummary('support', 'Support'), queueSummary('sales', 'Sales')];

function draft(overrides: Partial<AlertDraft> = {}): AlertDraft {
  return { ...draftFrom(alertPrefs()), ...overrides };
}

describe('draftFrom and preferencesFrom', () => {
  it('fills the form from the preferences, offering 18:00–08:00 when there are no quiet hours', () => {
    expect(draftFrom(alertPrefs())).toEqual({
      queues: [],
      quietEnabled: false,
      quietStart: '18:00',
      quietEnd: '08:00',
      pierce: false,
      cooldownSeconds: 60,
    });
    expect(
      draftFrom(alertPrefs({ quiet_hours: { start: '22:30', end: '06:00' }, escalations_pierce_quiet_hours: true })),
    ).toMatchObject({ quietEnabled: true, quietStart: '22:30', quietEnd: '06:00', pierce: true });
  });

  it('builds the preferences to save, with quiet hours only when they are on', () => {
    const current = alertPrefs({ lead_of: ['support'] });
    const on = preferencesFrom(
      current,
      draft({ queues: ['support'], quietEnabled: true, quietStart: '18:00', quietEnd: '08:00:00', cooldownSeconds: 0 }),
    );
    expect(on).toEqual({
      ...current,
      queues: ['support'],
      quiet_hours: { start: '18:00', end: '08:00' },
      cooldown_seconds: 0,
    });
    expect(preferencesFrom(current, draft({ quietEnabled: false, quietStart: '' })).quiet_hours).toBeNull();
  });

  it('keeps the pause from the latest preferences, not from when the form was opened', () => {
    const form = draftFrom(alertPrefs({ paused_until: null }));
    expect(preferencesFrom(alertPrefs({ paused_until: 9_000 }), form).paused_until).toBe(9_000);
  });
});

describe('draftProblem', () => {
  it('accepts the form with quiet hours off, whatever the times say', () => {
    expect(draftProblem(draft({ quietEnabled: false, quietStart: '' }))).toBeNull();
  });

  it('accepts a window over midnight', () => {
    expect(draftProblem(draft({ quietEnabled: true, quietStart: '18:00', quietEnd: '08:00' }))).toBeNull();
  });

  it('asks for both times, different ones', () => {
    expect(draftProblem(draft({ quietEnabled: true, quietStart: '' }))).toBe(
      'Choose when quiet hours start and end, or turn them off.',
    );
    expect(draftProblem(draft({ quietEnabled: true, quietStart: '09:00', quietEnd: '09:00' }))).toBe(
      'Quiet hours must start and end at different times.',
    );
    expect(draftProblem(draft({ quietEnabled: true, quietStart: '25:00' }))).toBe(
      '`25:00` is not a time of day; write it as HH:MM, e.g. 18:00.',
    );
  });
});

describe('draftChanged', () => {
  const prefs = alertPrefs({ queues: ['support'] });

  it('is false for an untouched form, and ignores the hidden times while quiet hours are off', () => {
    expect(draftChanged(draftFrom(prefs), prefs)).toBe(false);
    expect(draftChanged({ ...draftFrom(prefs), quietStart: '20:00' }, prefs)).toBe(false);
  });

  it('notices each edit', () => {
    const base = draftFrom(prefs);
    expect(draftChanged({ ...base, queues: ['sales'] }, prefs)).toBe(true);
    expect(draftChanged({ ...base, queues: [] }, prefs)).toBe(true);
    expect(draftChanged({ ...base, quietEnabled: true }, prefs)).toBe(true);
    expect(draftChanged({ ...base, pierce: true }, prefs)).toBe(true);
    expect(draftChanged({ ...base, cooldownSeconds: 300 }, prefs)).toBe(true);
  });
});

describe('queues', () => {
  it('ticks and unticks in the sidebar order', () => {
    expect(toggleQueue([], 'sales', true, QUEUES)).toEqual(['sales']);
    expect(toggleQueue(['sales'], 'triage', true, QUEUES)).toEqual(['triage', 'sales']);
    expect(toggleQueue(['triage', 'sales'], 'triage', false, QUEUES)).toEqual(['sales']);
    expect(toggleQueue(['gone', 'sales'], 'support', true, QUEUES)).toEqual(['support', 'sales', 'gone']);
  });

  it('offers every queue, and a ticked queue the policy no longer has so it can be unticked', () => {
    expect(queueChoices(QUEUES, ['support', 'gone'])).toEqual([
      { id: 'triage', label: 'Triage', checked: false, missing: false },
      { id: 'support', label: 'Support', checked: true, missing: false },
      { id: 'sales', label: 'Sales', checked: false, missing: false },
      { id: 'gone', label: 'gone', checked: true, missing: true },
    ]);
  });

  it('says that none ticked means all queues', () => {
    expect(queueScopeSummary([], QUEUES)).toBe('None ticked: you are notified about all queues.');
    expect(queueScopeSummary(['support', 'sales'], QUEUES)).toBe('You are notified about Support and Sales only.');
  });

  it('says which queues the person leads', () => {
    expect(leadSummary([], QUEUES)).toBe('You lead no queue');
    expect(leadSummary(['support'], QUEUES)).toBe('Escalations in Support come to you');
    expect(leadSummary(['triage', 'support', 'vip'], QUEUES)).toBe('Escalations in Triage, Support and vip come to you');
  });

  it('joins words the way people write lists', () => {
    expect(joinWords([])).toBe('');
    expect(joinWords(['A'])).toBe('A');
    expect(joinWords(['A', 'B'])).toBe('A and B');
    expect(joinWords(['A', 'B', 'C'])).toBe('A, B and C');
  });
});

describe('quiet hours', () => {
  it('reads a time input value as HH:MM', () => {
    expect(normalizeTime('18:00')).toBe('18:00');
    expect(normalizeTime('18:00:30')).toBe('18:00');
    expect(normalizeTime(' 08:15 ')).toBe('08:15');
    expect(normalizeTime('')).toBe('');
  });

  it('knows a window that spans midnight', () => {
    expect(spansMidnight('18:00', '08:00')).toBe(true);
    expect(spansMidnight('12:00', '14:00')).toBe(false);
    expect(spansMidnight('', '08:00')).toBe(false);
  });

  it('describes the window in words', () => {
    expect(quietHoursSummary('18:00', '08:00')).toBe('Quiet from 18:00 to 08:00 the next day (over midnight).');
    expect(quietHoursSummary('12:00', '14:00')).toBe('Quiet from 12:00 to 14:00.');
    expect(quietHoursSummary('12:00', '12:00')).toBeNull();
    expect(quietHoursSummary('', '12:00')).toBeNull();
  });
});

describe('cool-down', () => {
  it('offers Off, 30 s, 1, 2 and 5 min', () => {
    expect(cooldownChoices(60)).toEqual([
      { seconds: 0, label: 'Off' },
      { seconds: 30, label: '30 s' },
      { seconds: 60, label: '1 min' },
      { seconds: 120, label: '2 min' },
      { seconds: 300, label: '5 min' },
    ]);
  });

  it('keeps a value set elsewhere as a choice, in order', () => {
    expect(cooldownChoices(45).map((c) => c.label)).toEqual(['Off', '30 s', '45 s', '1 min', '2 min', '5 min']);
    expect(cooldownLabel(600)).toBe('10 min');
    expect(cooldownLabel(90)).toBe('1 min 30 s');
  });
});

describe('pausedUntil', () => {
  const NOW = 1_700_000_000_000;

  it('is the end of the pause while it lasts, then nothing', () => {
    const prefs = alertPrefs({ paused_until: NOW + 60_000 });
    expect(pausedUntil(prefs, NOW)).toBe(NOW + 60_000);
    expect(pausedUntil(prefs, NOW + 59_999)).toBe(NOW + 60_000);
    expect(pausedUntil(prefs, NOW + 60_000)).toBeNull();
    expect(pausedUntil(alertPrefs(), NOW)).toBeNull();
    expect(pausedUntil(null, NOW)).toBeNull();
  });
});
