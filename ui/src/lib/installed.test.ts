// Switchboard as installed: managed settings in words, the start-at-login question and toggle, the crash notice
// and updates, against a fake backend.
import { describe, expect, it, vi } from 'vitest';
import { BackendError } from './backend';
import type { ManagedView, UpdateView } from './bindings';
import { crashNoticeText, CrashNoticeState } from './crashNotice.svelte';
import { Installed } from './installed.svelte';
import {
  allowedAccounts,
  fixedJoinServers,
  isLocked,
  localWorkspacesAllowed,
  managedProblemText,
  managedSourceTitle,
  updatesLocked,
} from './managed';
import { ManagedSettings } from './managedSettings.svelte';
import { StartupSetting } from './startupSetting.svelte';
import { crashNotice, managedView, startupView, unusedBackend, updateView } from './testFixtures';
import { updateStatusText, Updates } from './updates.svelte';

const SOURCE = '/etc/switchboard/managed.toml';

/** A promise the test resolves when it wants. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('managed settings in words', () => {
  const locked = managedView({
    managed: true,
    source: SOURCE,
    locked: ['allowed_accounts', 'local_workspaces', 'join_servers', 'update_channel'],
    allowed_accounts: ['mastodon:brand@social.example'],
    local_workspaces_allowed: false,
    join_servers: ['db.acme.example:5432'],
  });

  it('say what the organisation fixes', () => {
    expect(isLocked(locked, 'allowed_accounts')).toBe(true);
    expect(isLocked(locked, 'demo')).toBe(false);
    expect(allowedAccounts(locked)).toEqual(['mastodon:brand@social.example']);
    expect(localWorkspacesAllowed(locked)).toBe(false);
    expect(fixedJoinServers(locked)).toEqual(['db.acme.example:5432']);
    expect(updatesLocked(locked)).toBe(true);
    expect(managedSourceTitle(locked)).toBe(`Set by your organisation in ${SOURCE}`);
  });

  it('lock nothing while unmanaged or not read yet', () => {
    for (const view of [null, managedView()]) {
      expect(allowedAccounts(view)).toBeNull();
      expect(localWorkspacesAllowed(view)).toBe(true);
      expect(fixedJoinServers(view)).toBeNull();
      expect(updatesLocked(view)).toBe(false);
      expect(managedProblemText(view)).toBeNull();
    }
    expect(managedSourceTitle(null)).toBe('Set by your organisation');
  });

  it('explain a settings file that could not be read, in plain words', () => {
    const view = managedView({ managed: true, source: SOURCE, problem: 'line 3: `allowed_accounts` must be a list.' });
    expect(managedProblemText(view)).toBe(
      "Your organisation's settings could not be read (line 3: `allowed_accounts` must be a list): new brand accounts are refused until IT fixes them.",
    );
  });
});

describe('ManagedSettings', () => {
  it('keeps the newest answer, and what it knew when a read fails', async () => {
    const first = deferred<ManagedView>();
    const answers = [first.promise, Promise.resolve(managedView({ managed: true })), Promise.reject(new BackendError('unreachable', 'Down.'))];
    const backend = { managedSettings: vi.fn(() => answers.shift()!) };
    const managed = new ManagedSettings(backend);
    const older = managed.load();
    await managed.load();
    first.resolve(managedView({ problem: 'old' }));
    await older;
    expect(managed.view).toEqual(managedView({ managed: true }));
    await managed.load();
    expect(managed.view).toEqual(managedView({ managed: true }));
  });
});

describe('ManagedSettings on workspace switches', () => {
  it('reads again whenever another workspace (or none) opens, not for the first one or the same one', async () => {
    const backend = { managedSettings: vi.fn(async () => managedView()) };
    const managed = new ManagedSettings(backend);
    const acme = {};
    const globex = {};
    managed.opened(acme);
    managed.opened(acme);
    expect(backend.managedSettings).not.toHaveBeenCalled();
    managed.opened(globex);
    expect(backend.managedSettings).toHaveBeenCalledTimes(1);
    managed.opened('none');
    expect(backend.managedSettings).toHaveBeenCalledTimes(2);
  });
});

describe('starting at login', () => {
  function backend(view = startupView()) {
    return {
      startupSettings: vi.fn(async () => view),
      setStartAtLogin: vi.fn(async (enabled: boolean) => startupView({ start_at_login: enabled, asked: true })),
    };
  }

  it('asks once on the first run, and either answer is saved', async () => {
    for (const answer of [true, false]) {
      const fake = backend();
      const startup = new StartupSetting(fake);
      await startup.load();
      expect(startup.shouldAsk).toBe(true);
      const saving = startup.answer(answer);
      expect(startup.shouldAsk, 'hidden at once').toBe(false);
      await saving;
      expect(fake.setStartAtLogin).toHaveBeenCalledExactlyOnceWith(answer);
      expect(startup.view).toEqual(startupView({ start_at_login: answer, asked: true }));
      expect(startup.shouldAsk).toBe(false);
    }
  });

  it('does not ask when asked before, or where the desktop cannot start it at login', async () => {
    for (const view of [startupView({ asked: true }), startupView({ available: false })]) {
      const startup = new StartupSetting(backend(view));
      await startup.load();
      expect(startup.shouldAsk).toBe(false);
    }
    const failing = new StartupSetting({ ...backend(), startupSettings: vi.fn(async () => Promise.reject(new Error('x'))) });
    await failing.load();
    expect(failing.shouldAsk).toBe(false);
    expect(failing.view).toBeNull();
  });

  it('the toggle turns it on and off, and says why a change failed', async () => {
    const fake = backend(startupView({ asked: true }));
    const startup = new StartupSetting(fake);
    await startup.load();
    await startup.set(true);
    await startup.set(false);
    expect(fake.setStartAtLogin.mock.calls).toEqual([[true], [false]]);
    expect(startup.view?.start_at_login).toBe(false);

    fake.setStartAtLogin.mockRejectedValueOnce({ code: 'platform', message: 'The autostart folder is read-only.' });
    await startup.set(true);
    expect(startup.error).toBe("Couldn't change starting at login: The autostart folder is read-only.");
    expect(startup.view?.start_at_login).toBe(false);
    expect(startup.saving).toBe(false);
  });
});

describe('the crash notice', () => {
  const at = new Date(2026, 11, 6, 14, 5).getTime();

  it('says when and what, and that nothing was lost', () => {
    expect(crashNoticeText(crashNotice(at), at + 60_000)).toBe(
      'Switchboard closed unexpectedly at 14:05 — the sync thread panicked. Nothing you recorded was lost.',
    );
    expect(crashNoticeText(crashNotice(at, { summary: '' }), at)).toBe(
      'Switchboard closed unexpectedly at 14:05. Nothing you recorded was lost.',
    );
  });

  function backend() {
    return {
      lastCrash: vi.fn(async () => crashNotice(at)),
      dismissCrash: vi.fn(async () => undefined),
      openCrashFolder: vi.fn(async () => undefined),
    };
  }

  it('opens the folder and is dismissed for good', async () => {
    const fake = backend();
    const crash = new CrashNoticeState(fake);
    await crash.load();
    expect(crash.notice).toEqual(crashNotice(at));
    await crash.openFolder();
    expect(fake.openCrashFolder).toHaveBeenCalledOnce();
    await crash.dismiss();
    expect(fake.dismissCrash).toHaveBeenCalledOnce();
    expect(crash.notice).toBeNull();
  });

  it('stays, with why, when dismissing or opening the folder fails', async () => {
    const fake = backend();
    fake.dismissCrash.mockRejectedValueOnce({ code: 'storage', message: 'The disk is full.' });
    fake.openCrashFolder.mockRejectedValueOnce({ code: 'platform', message: 'No file manager is installed.' });
    const crash = new CrashNoticeState(fake);
    await crash.load();
    await crash.openFolder();
    expect(crash.error).toBe("Couldn't open the folder: No file manager is installed.");
    await crash.dismiss();
    expect(crash.notice).toEqual(crashNotice(at));
    expect(crash.error).toBe("Couldn't dismiss the notice: The disk is full.");
  });

  it('shows nothing after a normal run', async () => {
    const crash = new CrashNoticeState({ ...backend(), lastCrash: vi.fn(async () => null) });
    await crash.load();
    expect(crash.notice).toBeNull();
  });
});

describe('updates', () => {
  it('say where they stand', () => {
    expect(updateStatusText(updateView({ available: '1.4.0' }))).toBe('Version 1.4.0 is available.');
    expect(updateStatusText(updateView({ message: 'Switchboard is up to date.' }))).toBe('Switchboard is up to date.');
    expect(updateStatusText(updateView())).toBe('Switchboard is up to date.');
    expect(updateStatusText(updateView({ configured: false }))).toBe('No update address is configured.');
  });

  it('check, then install the version found, showing what happened', async () => {
    const installed = updateView({ message: 'Version 1.4.0 was installed; restart Switchboard to use it.' });
    const backend = {
      checkForUpdate: vi.fn(async () => updateView({ available: '1.4.0' })),
      installUpdate: vi.fn(async () => installed),
    };
    const updates = new Updates(backend);
    await updates.install();
    expect(backend.installUpdate, 'nothing to install before a check').not.toHaveBeenCalled();
    const checking = updates.check();
    expect(updates.busy).toBe('check');
    await checking;
    expect(updates.available).toBe('1.4.0');
    await updates.install();
    expect(backend.installUpdate).toHaveBeenCalledOnce();
    expect(updates.view).toEqual(installed);
    expect(updates.available).toBeNull();
    expect(updates.busy).toBeNull();
  });

  it('say in plain words why a check or an install failed', async () => {
    const backend = {
      checkForUpdate: vi.fn(async (): Promise<UpdateView> => Promise.reject({ code: 'invalid_input', message: 'No update address is configured.' })),
      installUpdate: vi.fn(async (): Promise<UpdateView> => Promise.reject({ code: 'platform', message: "The update's signature does not match: nothing was installed." })),
    };
    const updates = new Updates(backend);
    await updates.check();
    expect(updates.error).toBe("Couldn't check for updates: No update address is configured.");
    backend.checkForUpdate.mockResolvedValueOnce(updateView({ available: '1.4.0' }));
    await updates.check();
    expect(updates.error).toBeNull();
    await updates.install();
    expect(updates.error).toBe("Couldn't install the update: The update's signature does not match: nothing was installed.");
    expect(updates.available, 'still offered').toBe('1.4.0');
  });
});

describe('Installed', () => {
  it('reads the managed settings, start at login and the last crash at start, but not updates', async () => {
    const backend = {
      ...unusedBackend(),
      managedSettings: vi.fn(async () => managedView({ managed: true })),
      startupSettings: vi.fn(async () => startupView()),
      lastCrash: vi.fn(async () => null),
    };
    const installed = new Installed(backend);
    await installed.start();
    expect(installed.managed.view?.managed).toBe(true);
    expect(installed.startup.shouldAsk).toBe(true);
    expect(installed.crash.notice).toBeNull();
    expect(backend.checkForUpdate).not.toHaveBeenCalled();
  });
});
