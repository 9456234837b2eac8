// Switchboard as installed, rendered to HTML (server-side, no DOM): "Managed by your organisation" next to every
// locked setting and the problem banner, the first run's start-at-login question, the App settings (toggle and
// updates), and the crash notice. The buttons' effects are tested on the state they call (lib/installed.test.ts).
import { render } from 'svelte/server';
import { describe, expect, it, vi } from 'vitest';
import { Accounts } from '../lib/accounts.svelte';
import { AlertSettings } from '../lib/alertSettings.svelte';
import type { WorkspaceBackend } from '../lib/backend';
import type { ManagedView } from '../lib/bindings';
import { Installed } from '../lib/installed.svelte';
import { JoinTeamForm } from '../lib/joinTeam.svelte';
import {
  account,
  alertPrefs,
  crashNotice,
  joinPreview,
  managedView,
  startupView,
  unusedBackend,
  unusedWorkspaceBackend,
  updateView,
  workspaceEntry,
} from '../lib/testFixtures';
import { Workspaces } from '../lib/workspaces.svelte';
import AccountsPanel from './AccountsPanel.svelte';
import AlertSettingsPanel from './AlertSettingsPanel.svelte';
import JoinTeam from './JoinTeam.svelte';
import ManageWorkspacesPanel from './ManageWorkspacesPanel.svelte';
import NoWorkspace from './NoWorkspace.svelte';
import UpdateSettings from './UpdateSettings.svelte';
import WindowNotices from './WindowNotices.svelte';

const SOURCE = '/etc/switchboard/managed.toml';
const NOW = new Date(2026, 11, 6, 15, 0).getTime();
const CRASHED_AT = new Date(2026, 11, 6, 14, 5).getTime();
const HOSTILE = '<img src=x onerror=alert(1)>';
const noop = () => undefined;

/** Every locked setting, fixed the strict way. */
const LOCKED = managedView({
  managed: true,
  source: SOURCE,
  locked: ['allowed_accounts', 'local_workspaces', 'join_servers', 'update_url', 'update_channel'],
  allowed_accounts: ['mastodon:brand@social.example', 'bluesky:brand.bsky.social'],
  local_workspaces_allowed: false,
  join_servers: ['db.acme.example:5432'],
});

function count(html: string, testid: string): number {
  return html.split(`data-testid="${testid}"`).length - 1;
}

/** The badge says the words, with where the settings come from as its title. */
function expectBadge(html: string) {
  expect(html).toMatch(
    new RegExp(`data-testid="managed-badge" title="Set by your organisation in ${SOURCE.replaceAll('/', '\\/')}"[^>]*>Managed by your organisation<`),
  );
}

/** Installed, as the backend answers at start. */
async function installed(
  answers: { managed?: ManagedView; startup?: ReturnType<typeof startupView> | null; crash?: ReturnType<typeof crashNotice> | null } = {},
) {
  const backend = {
    ...unusedBackend(),
    managedSettings: vi.fn(async () => answers.managed ?? managedView()),
    startupSettings: vi.fn(async () => answers.startup ?? startupView({ available: false })),
    lastCrash: vi.fn(async () => answers.crash ?? null),
    setStartAtLogin: vi.fn(async (enabled: boolean) => startupView({ asked: true, start_at_login: enabled })),
    dismissCrash: vi.fn(async () => undefined),
    openCrashFolder: vi.fn(async () => undefined),
    checkForUpdate: vi.fn(async () => updateView({ available: '1.4.0', channel: 'stable' })),
    installUpdate: vi.fn(async () => updateView({ message: 'Version 1.4.0 was installed; restart Switchboard to use it.' })),
  };
  const app = new Installed(backend);
  await app.start();
  return { app, backend };
}

async function workspaces() {
  const backend = { ...unusedBackend(), workspaces: vi.fn(async () => [workspaceEntry('acme', 'Acme')]) };
  const all = new Workspaces(backend);
  await all.loadEntries(true);
  return all;
}

describe('managed settings', () => {
  it('the accounts panel shows the badge and the accounts allowed, when the organisation fixes them', async () => {
    const accounts = new Accounts({ ...unusedWorkspaceBackend(), accounts: vi.fn(async () => [account('mastodon:1')]) });
    await accounts.open();
    const locked = render(AccountsPanel, { props: { accounts, isDemo: false, now: NOW, managed: LOCKED } }).body;
    expectBadge(locked);
    expect(locked).toContain('Only these brand accounts can be added here:');
    expect(locked).toContain('mastodon:brand@social.example');
    expect(locked).toContain('bluesky:brand.bsky.social');
    expect(locked).toMatch(/data-testid="add-account"(?![^>]*disabled)/);

    const none = render(AccountsPanel, {
      props: { accounts, isDemo: false, now: NOW, managed: { ...LOCKED, allowed_accounts: [] } },
    }).body;
    expect(none).toContain('Your organisation allows no brand accounts to be added here.');
    expect(none).toMatch(/data-testid="add-account"[^>]*disabled/);

    const free = render(AccountsPanel, { props: { accounts, isDemo: false, now: NOW, managed: managedView() } }).body;
    expect(free).not.toContain('managed-badge');
    expect(free).toMatch(/data-testid="add-account"(?![^>]*disabled)/);

    const unreadable = managedView({ managed: true, source: SOURCE, problem: 'line 3: unknown key' });
    const refused = render(AccountsPanel, { props: { accounts, isDemo: false, now: NOW, managed: unreadable } }).body;
    expect(refused).toMatch(/data-testid="managed-accounts-problem"[^>]*>Your organisation's settings could not be read \(line 3: unknown key\)/);
    expect(refused).toMatch(/data-testid="add-account"[^>]*disabled/);
  });

  it('creating a workspace is off, with the badge, where workspaces of one\'s own are not allowed', async () => {
    const all = await workspaces();
    for (const html of [
      render(ManageWorkspacesPanel, { props: { workspaces: all, onRemove: noop, onClose: noop, managed: LOCKED } }).body,
      render(NoWorkspace, { props: { workspaces: all, managed: LOCKED } }).body,
    ]) {
      expectBadge(html);
      expect(html).toContain('data-testid="create-workspace-locked"');
      expect(html).toMatch(/data-testid="(create|first)-workspace-submit"[^>]*disabled/);
      expect(html).toMatch(/data-testid="(create|first)-workspace-input"[^>]*disabled/);
    }
    const free = render(ManageWorkspacesPanel, { props: { workspaces: all, onRemove: noop, onClose: noop, managed: managedView() } }).body;
    expect(free).not.toContain('managed-badge');
    expect(free).not.toContain('create-workspace-locked');
    expect(free).toMatch(/data-testid="create-workspace-submit"(?![^>]*disabled)/);
  });

  it('the demo workspace cannot be opened, with the badge, where the organisation does not allow it', async () => {
    const backend = {
      ...unusedBackend(),
      workspaces: vi.fn(async () => [workspaceEntry('acme', 'Acme', { is_current: true }), workspaceEntry('demo', 'Demo', { is_demo: true })]),
    };
    const all = new Workspaces(backend);
    await all.loadEntries(true);
    const noDemo = { ...LOCKED, locked: ['demo'], demo_allowed: false, local_workspaces_allowed: true };
    const html = render(ManageWorkspacesPanel, { props: { workspaces: all, onRemove: noop, onClose: noop, managed: noDemo } }).body;
    expect(count(html, 'managed-badge')).toBe(1);
    expect(html).toMatch(/data-testid="workspace-open-button"[^>]*disabled/);
  });

  it('the join form lists the team servers the organisation allows', () => {
    const form = new JoinTeamForm({ previewJoin: async () => joinPreview(), join: async () => ({ ok: true }) });
    form.open();
    const html = render(JoinTeam, { props: { form, managed: { ...LOCKED, join_servers: ['db.acme.example:5432', HOSTILE] } } }).body;
    expectBadge(html);
    expect(html).toContain('Your organisation allows teams on these servers only:');
    expect(html).toContain('db.acme.example:5432');
    expect(html).not.toContain('<img');
    expect(render(JoinTeam, { props: { form, managed: managedView() } }).body).not.toContain('managed-badge');
  });

  it('the update settings show the badge when the update address or channel is managed', () => {
    const updates = new Installed(unusedBackend()).updates;
    expectBadge(render(UpdateSettings, { props: { updates, managed: LOCKED } }).body);
    expect(render(UpdateSettings, { props: { updates, managed: managedView() } }).body).not.toContain('managed-badge');
  });

  it('a settings file that could not be read shows the problem banner, in plain words', async () => {
    const problem = `line 3: unknown key ${HOSTILE}`;
    const { app } = await installed({ managed: managedView({ managed: true, source: SOURCE, problem }) });
    const html = render(WindowNotices, { props: { installed: app, now: NOW } }).body;
    expect(html).toMatch(/role="alert"[^>]*data-testid="managed-problem"/);
    expect(html).toContain("Your organisation's settings could not be read (line 3: unknown key &lt;img src=x onerror=alert(1)>)");
    expect(html).toContain('new brand accounts are refused until IT fixes them.');
    expect(html).not.toContain('<img');

    const { app: fine } = await installed({ managed: LOCKED });
    expect(render(WindowNotices, { props: { installed: fine, now: NOW } }).body).not.toContain('managed-problem');
  });
});

describe('starting at login', () => {
  it('the first run asks once, with Yes and No', async () => {
    const { app, backend } = await installed({ startup: startupView() });
    const html = render(WindowNotices, { props: { installed: app, now: NOW } }).body;
    expect(html).toContain('data-testid="startup-ask"');
    expect(html).toContain('Start Switchboard when you log in?');
    expect(html).toMatch(/data-testid="startup-yes"[^>]*>Yes</);
    expect(html).toMatch(/data-testid="startup-no"[^>]*>No</);

    await app.startup.answer(false);
    expect(backend.setStartAtLogin).toHaveBeenCalledExactlyOnceWith(false);
    expect(render(WindowNotices, { props: { installed: app, now: NOW } }).body).not.toContain('startup-ask');
  });

  it('does not ask when asked before or where it cannot start at login', async () => {
    for (const startup of [startupView({ asked: true }), startupView({ available: false })]) {
      const { app } = await installed({ startup });
      expect(render(WindowNotices, { props: { installed: app, now: NOW } }).body).not.toContain('startup-ask');
    }
  });

  async function panel(app: Installed) {
    const backend = {
      alertPreferences: vi.fn(async () => alertPrefs()),
      setAlertPreferences: vi.fn(async () => alertPrefs()),
      pauseAlerts: vi.fn(async () => alertPrefs()),
    };
    const settings = new AlertSettings(backend as unknown as WorkspaceBackend);
    await settings.start();
    await settings.open();
    return render(AlertSettingsPanel, { props: { settings, queues: [], now: NOW, installed: app } }).body;
  }

  it('the App section of the notification settings has the toggle, ticked as it stands', async () => {
    const { app, backend } = await installed({ startup: startupView({ asked: true }) });
    const off = await panel(app);
    expect(off).toContain('data-testid="app-settings"');
    expect(off).toMatch(/<input type="checkbox" data-testid="start-at-login"(?![^>]*checked)/);

    await app.startup.set(true);
    expect(backend.setStartAtLogin).toHaveBeenCalledExactlyOnceWith(true);
    expect(await panel(app)).toMatch(/data-testid="start-at-login"[^>]*checked/);
  });

  it('the App section says so where the desktop cannot start it at login', async () => {
    const { app } = await installed({ startup: startupView({ available: false }) });
    const html = await panel(app);
    expect(html).not.toContain('data-testid="start-at-login"');
    expect(html).toContain('data-testid="start-at-login-unavailable"');
  });
});

describe('updates', () => {
  it('check, then "Version X is available" and Install, then what happened', async () => {
    const { app, backend } = await installed();
    const updates = app.updates;
    const before = render(UpdateSettings, { props: { updates, managed: null } }).body;
    expect(before).toMatch(/data-testid="update-check"[^>]*>Check for updates</);
    expect(before).not.toContain('update-install');
    expect(before).not.toContain('update-status');

    await updates.check();
    const found = render(UpdateSettings, { props: { updates, managed: null } }).body;
    expect(found).toMatch(/data-testid="update-status"[^>]*>Version 1.4.0 is available.</);
    expect(found).toMatch(/data-testid="update-install"[^>]*>Install version 1.4.0</);
    expect(found).toContain('stable');

    await updates.install();
    expect(backend.installUpdate).toHaveBeenCalledOnce();
    const done = render(UpdateSettings, { props: { updates, managed: null } }).body;
    expect(done).toMatch(/data-testid="update-status"[^>]*>Version 1.4.0 was installed; restart Switchboard to use it.</);
    expect(done).not.toContain('update-install');
  });

  it('a failure shows in plain words', async () => {
    const { app, backend } = await installed();
    backend.checkForUpdate.mockRejectedValueOnce({ code: 'invalid_input', message: 'No update address is configured.' });
    await app.updates.check();
    const html = render(UpdateSettings, { props: { updates: app.updates, managed: null } }).body;
    expect(html).toMatch(/role="alert"[^>]*data-testid="update-status"[^>]*>Couldn't check for updates: No update address is configured.</);
  });
});

describe('the crash notice', () => {
  it('says when and what, with Open folder and Dismiss', async () => {
    const { app, backend } = await installed({ crash: crashNotice(CRASHED_AT, { summary: `the sync thread panicked ${HOSTILE}` }) });
    const html = render(WindowNotices, { props: { installed: app, now: NOW } }).body;
    expect(html).toContain('data-testid="crash-notice"');
    expect(html).toContain(
      'Switchboard closed unexpectedly at 14:05 — the sync thread panicked &lt;img src=x onerror=alert(1)>. Nothing you recorded was lost.',
    );
    expect(html).not.toContain('<img');
    expect(count(html, 'crash-open-folder')).toBe(1);
    expect(count(html, 'crash-dismiss')).toBe(1);

    await app.crash.openFolder();
    expect(backend.openCrashFolder).toHaveBeenCalledOnce();
    expect(app.crash.error).toBeNull();
    await app.crash.dismiss();
    expect(backend.dismissCrash).toHaveBeenCalledOnce();
    expect(render(WindowNotices, { props: { installed: app, now: NOW } }).body).not.toContain('crash-notice');
  });

  it('is absent after a normal run', async () => {
    const { app } = await installed();
    expect(render(WindowNotices, { props: { installed: app, now: NOW } }).body).not.toContain('crash-notice');
  });
});
