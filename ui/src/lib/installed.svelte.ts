// Switchboard as installed on a work laptop: the organisation's managed settings, starting at login, the last
// run's crash and updates. None of it belongs to a workspace; the window reads it once at start (and the
// managed settings again whenever another workspace opens).
import type { Backend } from './backend';
import { CrashNoticeState } from './crashNotice.svelte';
import { ManagedSettings } from './managedSettings.svelte';
import { StartupSetting } from './startupSetting.svelte';
import { Updates } from './updates.svelte';

export class Installed {
  readonly managed: ManagedSettings;
  readonly startup: StartupSetting;
  readonly crash: CrashNoticeState;
  readonly updates: Updates;

  constructor(backend: Backend) {
    this.managed = new ManagedSettings(backend);
    this.startup = new StartupSetting(backend);
    this.crash = new CrashNoticeState(backend);
    this.updates = new Updates(backend);
  }

  /** The first look: managed settings, start at login and the last crash (updates wait for the person). */
  async start(): Promise<void> {
    await Promise.all([this.managed.load(), this.startup.load(), this.crash.load()]);
  }
}
