import { describe, expect, it, vi } from 'vitest';
import { AlertSettings } from './alertSettings.svelte';
import { BackendError, type WorkspaceBackend } from './backend';
import type { AlertPreferences } from './bindings';
import { alertPrefs } from './testFixtures';

const NOW = 1_700_000_000_000;

/** A backend holding Ana's preferences, saving and pausing them like the real one (the clock is `NOW`). */
function fakeBackend(initial: AlertPreferences = alertPrefs()) {
  const data = { preferences: initial };
  const backend = {
    alertPreferences: vi.fn(async () => data.preferences),
    setAlertPreferences: vi.fn(async (p: AlertPreferences) => {
      data.preferences = { ...p, person: data.preferences.person, lead_of: data.preferences.lead_of };
      return data.preferences;
    }),
    pauseAlerts: vi.fn(async (minutes: number) => {
      data.preferences = { ...data.preferences, paused_until: minutes > 0 ? NOW + minutes * 60_000 : null };
      return data.preferences;
    }),
  } satisfies Partial<WorkspaceBackend>;
  return { backend, data, settings: new AlertSettings(backend as unknown as WorkspaceBackend) };
}

/** A promise the test settles by hand. */
function deferred<T>() {
  let resolve: (value: T) => void = () => undefined;
  let reject: (reason: unknown) => void = () => undefined;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('AlertSettings loading', () => {
  it('loads the preferences at start', async () => {
    const { settings } = fakeBackend(alertPrefs({ lead_of: ['support'] }));
    expect(settings.load.status).toBe('idle');
    await settings.start();
    expect(settings.load.status).toBe('ready');
    expect(settings.preferences?.lead_of).toEqual(['support']);
  });

  it('shows a failed load in the panel and tries again when it opens', async () => {
    const { backend, settings } = fakeBackend();
    backend.alertPreferences.mockRejectedValueOnce(new BackendError('storage', 'The database is busy.'));
    await settings.start();
    expect(settings.load).toMatchObject({ status: 'error', error: { message: 'The database is busy.' } });

    const opening = settings.open();
    expect(settings.isOpen).toBe(true);
    expect(settings.draft).toBeNull();
    expect(settings.load.status).toBe('loading');
    await opening;
    expect(settings.load.status).toBe('ready');
    expect(settings.draft).toMatchObject({ cooldownSeconds: 60 });
  });

  it('refetches on change, keeping what is on screen when that fails', async () => {
    const { backend, data, settings } = fakeBackend();
    await settings.start();
    data.preferences = { ...data.preferences, paused_until: NOW + 60_000 };
    await settings.refresh();
    expect(settings.pausedUntil(NOW)).toBe(NOW + 60_000);

    backend.alertPreferences.mockRejectedValueOnce(new TypeError('offline'));
    await settings.refresh();
    expect(settings.pausedUntil(NOW)).toBe(NOW + 60_000);
    expect(settings.load.status).toBe('ready');
  });
});

describe('AlertSettings form', () => {
  async function opened(initial?: AlertPreferences) {
    const fake = fakeBackend(initial);
    await fake.settings.start();
    await fake.settings.open();
    return fake;
  }

  it('fills the form from the preferences when it opens and empties it when it closes', async () => {
    const { settings } = await opened(alertPrefs({ queues: ['support'] }));
    expect(settings.isOpen).toBe(true);
    expect(settings.draft?.queues).toEqual(['support']);

    settings.edit({ queues: [] });
    settings.close();
    expect(settings.isOpen).toBe(false);
    expect(settings.draft).toBeNull();

    await settings.toggle();
    expect(settings.draft?.queues).toEqual(['support']);
    await settings.toggle();
    expect(settings.isOpen).toBe(false);
  });

  it('saves the edits, shows progress, then shows what the backend stored', async () => {
    const { backend, data, settings } = await opened();
    settings.edit({ queues: ['support'], quietEnabled: true, quietStart: '18:00', quietEnd: '08:00', pierce: true });
    settings.edit({ cooldownSeconds: 300 });

    const pending = deferred<AlertPreferences>();
    backend.setAlertPreferences.mockImplementationOnce(() => pending.promise);
    const saving = settings.save();
    expect(settings.saving).toBe(true);
    expect(await settings.save()).toBe(false); // one save at a time
    expect(backend.setAlertPreferences).toHaveBeenCalledTimes(1);
    expect(backend.setAlertPreferences).toHaveBeenCalledWith({
      ...alertPrefs(),
      queues: ['support'],
      quiet_hours: { start: '18:00', end: '08:00' },
      escalations_pierce_quiet_hours: true,
      cooldown_seconds: 300,
    });

    // The backend answers with what it stored (here it normalised the end time).
    const stored = { ...data.preferences, queues: ['support'], quiet_hours: { start: '18:00', end: '08:30' } };
    pending.resolve(stored);
    expect(await saving).toBe(true);
    expect(settings.saving).toBe(false);
    expect(settings.saved).toBe(true);
    expect(settings.preferences).toEqual(stored);
    expect(settings.draft).toMatchObject({ quietEnabled: true, quietEnd: '08:30' });
    expect(settings.isOpen).toBe(true);
  });

  it('shows the backend\'s words on failure, keeps the edits, and saves once they are fixed', async () => {
    const { backend, settings } = await opened();
    const message = 'Quiet hours cannot be read in the time zone `Mars/Olympus`.';
    backend.setAlertPreferences.mockRejectedValueOnce({ code: 'invalid_input', message });
    settings.edit({ quietEnabled: true, quietStart: '18:00', quietEnd: '08:00' });
    expect(await settings.save()).toBe(false);
    expect(settings.error).toBe(message);
    expect(settings.draft).toMatchObject({ quietEnabled: true, quietStart: '18:00', quietEnd: '08:00' });
    expect(settings.saved).toBe(false);

    settings.edit({ quietEnd: '07:30' });
    expect(settings.error).toBeNull();
    expect(await settings.save()).toBe(true);
    expect(settings.preferences?.quiet_hours).toEqual({ start: '18:00', end: '07:30' });
  });

  it('catches a time that is not a time of day before asking, in the backend\'s words', async () => {
    const { backend, settings } = await opened();
    settings.edit({ quietEnabled: true, quietStart: '25:00', quietEnd: '08:00' });
    expect(await settings.save()).toBe(false);
    expect(settings.error).toBe('`25:00` is not a time of day; write it as HH:MM, e.g. 18:00.');
    expect(backend.setAlertPreferences).not.toHaveBeenCalled();
    expect(settings.draft?.quietStart).toBe('25:00');
  });

  it('shows a backend rejection without losing the edits', async () => {
    const { backend, settings } = await opened();
    backend.setAlertPreferences.mockRejectedValueOnce({
      code: 'invalid_input',
      message: 'There is no queue `vip` in this workspace.',
    });
    settings.edit({ queues: ['vip'], cooldownSeconds: 0 });
    expect(await settings.save()).toBe(false);
    expect(settings.error).toBe('There is no queue `vip` in this workspace.');
    expect(settings.draft).toMatchObject({ queues: ['vip'], cooldownSeconds: 0 });
  });

  it('catches missing quiet hours before asking the backend', async () => {
    const { backend, settings } = await opened();
    settings.edit({ quietEnabled: true, quietEnd: '' });
    expect(await settings.save()).toBe(false);
    expect(settings.error).toBe('Choose when quiet hours start and end, or turn them off.');
    expect(backend.setAlertPreferences).not.toHaveBeenCalled();
  });

  it('keeps the edits through a live refresh, and follows it while untouched', async () => {
    const { data, settings } = await opened();
    data.preferences = { ...data.preferences, cooldown_seconds: 120 };
    await settings.refresh();
    expect(settings.draft?.cooldownSeconds).toBe(120);

    settings.edit({ pierce: true });
    data.preferences = { ...data.preferences, cooldown_seconds: 30 };
    await settings.refresh();
    expect(settings.draft).toMatchObject({ pierce: true, cooldownSeconds: 120 });
    expect(settings.preferences?.cooldown_seconds).toBe(30);
  });

  it('saves the pause as it stands now, not as it was when the form opened', async () => {
    const { backend, data, settings } = await opened();
    settings.edit({ cooldownSeconds: 0 });
    data.preferences = { ...data.preferences, paused_until: NOW + 3_600_000 }; // paused from the tray
    await settings.refresh();
    await settings.save();
    expect(backend.setAlertPreferences.mock.calls[0]![0].paused_until).toBe(NOW + 3_600_000);
  });

  it('drops a refresh that was on its way before the save answered', async () => {
    const { backend, data, settings } = await opened();
    const stale = deferred<AlertPreferences>();
    backend.alertPreferences.mockImplementationOnce(() => stale.promise);
    const refreshing = settings.refresh();

    settings.edit({ cooldownSeconds: 0 });
    await settings.save();
    stale.resolve(alertPrefs({ cooldown_seconds: 60 }));
    await refreshing;
    expect(settings.preferences?.cooldown_seconds).toBe(0);
    expect(data.preferences.cooldown_seconds).toBe(0);
  });
});

describe('AlertSettings pause', () => {
  it('pauses for an hour and resumes', async () => {
    const { backend, settings } = fakeBackend();
    await settings.start();
    expect(settings.pausedUntil(NOW)).toBeNull();

    expect(await settings.pause()).toBe(true);
    expect(backend.pauseAlerts).toHaveBeenCalledWith(60);
    expect(settings.pausedUntil(NOW)).toBe(NOW + 3_600_000);
    expect(settings.pausedUntil(NOW + 3_600_000)).toBeNull(); // over by itself once the time passes

    expect(await settings.resume()).toBe(true);
    expect(backend.pauseAlerts).toHaveBeenLastCalledWith(0);
    expect(settings.pausedUntil(NOW)).toBeNull();
  });

  it('shows which one is in flight, one at a time', async () => {
    const { backend, settings } = fakeBackend();
    const pending = deferred<AlertPreferences>();
    backend.pauseAlerts.mockImplementationOnce(() => pending.promise);
    const pausing = settings.pause();
    expect(settings.pausing).toBe('pause');
    expect(await settings.resume()).toBe(false);
    pending.resolve(alertPrefs({ paused_until: NOW + 1 }));
    await pausing;
    expect(settings.pausing).toBeNull();
    expect(settings.load.status).toBe('ready'); // the answer is the whole preferences
  });

  it('says in words when pausing or resuming failed', async () => {
    const { backend, settings } = fakeBackend();
    backend.pauseAlerts.mockRejectedValueOnce({ code: 'storage', message: 'The database is busy.' });
    expect(await settings.pause()).toBe(false);
    expect(settings.pauseError).toBe("Couldn't pause notifications: The database is busy.");

    backend.pauseAlerts.mockRejectedValueOnce({ code: 'storage', message: 'Still busy.' });
    await settings.resume();
    expect(settings.pauseError).toBe("Couldn't resume notifications: Still busy.");
    settings.dismissPauseError();
    expect(settings.pauseError).toBeNull();
  });

  it('keeps the form as it is when a pause lands while it is being edited', async () => {
    const { settings } = fakeBackend();
    await settings.start();
    await settings.open();
    settings.edit({ queues: ['sales'] });
    await settings.pause();
    expect(settings.draft?.queues).toEqual(['sales']);
  });
});
