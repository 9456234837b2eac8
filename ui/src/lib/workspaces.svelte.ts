// The person's workspaces (work profiles): the list, which one is open, and switching, creating, renaming,
// exporting and removing them. The open one is shown through a WorkspaceView that is replaced on every
// switch; each operation remembers the view generation it started in and drops its answer once another
// switch happened, so nothing of an earlier workspace ever shows again.
import { toBackendError, type Backend, type BackendError } from './backend';
import type { JoinPreview, WorkspaceEntry } from './bindings';
import type { LoadState } from './consoleState.svelte';
import { cleanWorkspaceName, workspaceNameProblem } from './workspaceName';
import { WorkspaceView } from './workspaceView.svelte';

/** The id a view is opened for while the backend cannot say which workspace is open (no workspace has it). */
const UNKNOWN_WORKSPACE = '';

export type WorkspacePhase =
  /** The first look at the backend. */
  | { status: 'starting' }
  /** A workspace is open: `view` shows it. */
  | { status: 'open' }
  /** Opening another workspace; nothing of the previous one shows. */
  | { status: 'switching'; name: string }
  /** There is no workspace: the window offers to create the first one. */
  | { status: 'none' };

/** What an operation of the manage panel gives back: done, or why not in words. */
export type Outcome = { ok: true } | { ok: false; message: string };

export class Workspaces {
  entries = $state.raw<WorkspaceEntry[]>([]);
  entriesLoad = $state.raw<LoadState>({ status: 'idle' });
  phase = $state.raw<WorkspacePhase>({ status: 'starting' });
  /** The open workspace's view; null while starting, switching, or when there is none. */
  view = $state.raw<WorkspaceView | null>(null);
  /** Why the last switch failed (the previous workspace stays open). */
  switchError = $state.raw<string | null>(null);
  /** The create, rename or remove running now, if any, and for which workspace. */
  busy = $state.raw<{ operation: 'create' | 'join' | 'rename' | 'remove'; id: string | null } | null>(null);

  /** The open workspace's entry (from the list), if known. */
  current = $derived(this.entries.find((w) => w.is_current) ?? null);
  /** Workspaces whose open error the person dismissed (by id). */
  private dismissedOpenErrors = $state.raw<ReadonlySet<string>>(new Set());
  /** Workspaces that could not be opened at launch, with why; shown until dismissed or opened. */
  openErrors = $derived(
    this.entries.filter((w) => w.open_error !== null && !w.is_current && !this.dismissedOpenErrors.has(w.id)),
  );

  // The view generation: bumped whenever the view is replaced or dropped.
  private generation = 0;
  private entriesSeq = 0;

  constructor(private readonly backend: Backend) {}

  /** First load: opens the current workspace (or finds there is none) and lists them all. */
  async start(): Promise<void> {
    await Promise.all([this.openCurrent(), this.loadEntries(true)]);
  }

  /** Live refresh after a change: the open view and the list; follows a switch that happened elsewhere. */
  async refresh(): Promise<void> {
    const view = this.view;
    await Promise.all([view?.refresh(), this.loadEntries(false)]);
    if (view === null) {
      if (this.phase.status === 'none') await this.adopt();
      return;
    }
    if (view !== this.view) return;
    if (view.hasNoWorkspace || view.isStale) await this.adopt();
  }

  /**
   * The backend says the open workspace may have changed (the tray menu, another window, a removal):
   * keeps the view when it is still the same workspace, otherwise opens the new one (or the empty state).
   */
  async adopt(): Promise<void> {
    if (this.phase.status === 'switching') return;
    const generation = this.generation;
    let id: string | null;
    try {
      id = (await this.backend.workspace()).id;
    } catch (reason) {
      const error = toBackendError(reason);
      if (error.code !== 'no_workspace') return; // the view's own refresh reports the backend failing
      id = null;
    }
    if (generation !== this.generation) return;
    void this.loadEntries(false);
    if (id !== null && this.view !== null && this.view.openedAs === id) return;
    if (id === null) this.showNone();
    else await this.openView(id);
  }

  /** Opens another workspace. Resolves with whether it opened. */
  async switchTo(id: string): Promise<boolean> {
    if (this.phase.status === 'switching' || this.busy?.operation === 'remove') return false;
    if (this.view !== null && this.view.openedAs === id) return true;
    const name = this.entries.find((w) => w.id === id)?.name ?? 'the workspace';
    const previous = this.view;
    const previousPhase = this.phase;
    // Hidden at once (not disposed yet: a failed switch shows it again).
    const generation = ++this.generation;
    this.view = null;
    this.phase = { status: 'switching', name };
    this.switchError = null;
    previous?.accounts.signIn.abandon();
    try {
      await this.backend.switchWorkspace(id);
    } catch (reason) {
      if (generation !== this.generation) return false;
      // The backend kept the previous workspace open: show it again, as it was.
      this.generation++;
      this.view = previous;
      this.phase = previousPhase;
      this.switchError = `Couldn't open “${name}”: ${toBackendError(reason).message}`;
      if (previous !== null) void previous.refresh();
      return false;
    }
    previous?.dispose();
    if (generation !== this.generation) return false;
    this.entries = this.entries.map((w) => ({ ...w, is_current: w.id === id }));
    await this.openView(id);
    void this.loadEntries(false);
    return true;
  }

  /** Opens the n-th workspace of the list (Ctrl+1…9). */
  switchToIndex(index: number): Promise<boolean> {
    const entry = this.entries[index];
    return entry ? this.switchTo(entry.id) : Promise.resolve(false);
  }

  dismissSwitchError(): void {
    this.switchError = null;
  }

  /** Hides the launch errors shown now. */
  dismissOpenErrors(): void {
    this.dismissedOpenErrors = new Set([...this.dismissedOpenErrors, ...this.openErrors.map((w) => w.id)]);
  }

  /** Creates a workspace and opens it. */
  async create(name: string): Promise<Outcome> {
    const problem = workspaceNameProblem(name, this.entries);
    if (problem !== null) return { ok: false, message: problem };
    if (this.busy !== null || this.phase.status === 'switching') return { ok: false, message: 'Wait for the current change to finish.' };
    this.busy = { operation: 'create', id: null };
    try {
      const created = await this.backend.createWorkspace(cleanWorkspaceName(name));
      this.entries = [...this.entries.filter((w) => w.id !== created.id).map((w) => ({ ...w, is_current: false })), { ...created, is_current: true }];
      this.switchError = null;
      await this.openView(created.id);
      void this.loadEntries(false);
      return { ok: true };
    } catch (reason) {
      return { ok: false, message: toBackendError(reason).message };
    } finally {
      this.busy = null;
    }
  }

  /** What a team's join code leads to (the team, its server, the person's queues); rejects with the backend's words. */
  async previewJoin(code: string): Promise<JoinPreview> {
    try {
      return await this.backend.previewJoin(code);
    } catch (reason) {
      throw toBackendError(reason);
    }
  }

  /** Joins a team as a new workspace `name` and opens it (the code goes to the keychain only). */
  async join(name: string, code: string): Promise<Outcome> {
    const problem = workspaceNameProblem(name, this.entries);
    if (problem !== null) return { ok: false, message: problem };
    if (this.busy !== null || this.phase.status === 'switching') return { ok: false, message: 'Wait for the current change to finish.' };
    this.busy = { operation: 'join', id: null };
    try {
      const joined = await this.backend.joinTeam(cleanWorkspaceName(name), code);
      this.entries = [...this.entries.filter((w) => w.id !== joined.id).map((w) => ({ ...w, is_current: false })), { ...joined, is_current: true }];
      this.switchError = null;
      await this.openView(joined.id);
      void this.loadEntries(false);
      return { ok: true };
    } catch (reason) {
      return { ok: false, message: toBackendError(reason).message };
    } finally {
      this.busy = null;
    }
  }

  /** Renames a workspace; the header follows when it is the open one. */
  async rename(id: string, name: string): Promise<Outcome> {
    const problem = workspaceNameProblem(name, this.entries, id);
    if (problem !== null) return { ok: false, message: problem };
    if (this.busy !== null) return { ok: false, message: 'Wait for the current change to finish.' };
    this.busy = { operation: 'rename', id };
    try {
      const entries = await this.backend.renameWorkspace(id, cleanWorkspaceName(name));
      this.entriesSeq++; // a list read still on its way predates the rename
      this.entries = entries;
      if (this.view?.openedAs === id) void this.view.console.refresh();
      return { ok: true };
    } catch (reason) {
      return { ok: false, message: toBackendError(reason).message };
    } finally {
      this.busy = null;
    }
  }

  /** Writes the workspace's log to the Downloads folder; resolves with the file's path. */
  async exportLog(id: string): Promise<{ ok: true; path: string } | { ok: false; message: string }> {
    try {
      return { ok: true, path: await this.backend.exportWorkspaceLog(id) };
    } catch (reason) {
      return { ok: false, message: toBackendError(reason).message };
    }
  }

  /** Removes a workspace for good; when it was the open one, the backend opens another (or none). */
  async remove(id: string): Promise<Outcome> {
    if (this.busy !== null || this.phase.status === 'switching') return { ok: false, message: 'Wait for the current change to finish.' };
    const wasOpen = this.view?.openedAs === id || this.current?.id === id;
    this.busy = { operation: 'remove', id };
    try {
      const entries = await this.backend.removeWorkspace(id);
      this.entriesSeq++;
      this.entries = entries;
    } catch (reason) {
      return { ok: false, message: toBackendError(reason).message };
    } finally {
      this.busy = null;
    }
    if (wasOpen) {
      // Drop its view at once: its conversations are gone.
      this.replaceView(null);
      this.phase = { status: 'starting' };
      await this.adopt();
      if (this.phase.status === 'starting') await this.openCurrent();
    }
    return { ok: true };
  }

  /** Loads the list; a quiet load keeps the old list on failure. */
  async loadEntries(showLoading: boolean): Promise<BackendError | null> {
    const seq = ++this.entriesSeq;
    if (showLoading || this.entriesLoad.status !== 'ready') this.entriesLoad = { status: 'loading' };
    try {
      const entries = await this.backend.workspaces();
      if (seq !== this.entriesSeq) return null;
      this.entries = entries;
      this.entriesLoad = { status: 'ready' };
      return null;
    } catch (reason) {
      if (seq !== this.entriesSeq) return null;
      const error = toBackendError(reason);
      if (this.entriesLoad.status !== 'ready') this.entriesLoad = { status: 'error', error };
      return error;
    }
  }

  /** Whether a dialog of the open view is showing (the shortcuts stay off meanwhile). */
  get hasModal(): boolean {
    return this.view?.hasModal ?? false;
  }

  /**
   * Opens whatever the backend has open now, or the empty state. When the backend cannot say which workspace is
   * open, a view for no workspace shows why (its calls fail); once the backend answers, they are refused as
   * naming another workspace, and the next refresh opens the right one.
   */
  private async openCurrent(): Promise<void> {
    const generation = this.generation;
    let id: string;
    try {
      id = (await this.backend.workspace()).id;
    } catch (reason) {
      if (generation !== this.generation) return;
      if (toBackendError(reason).code === 'no_workspace') {
        this.showNone();
        return;
      }
      id = UNKNOWN_WORKSPACE;
    }
    if (generation !== this.generation) return;
    await this.openView(id);
  }

  /** Replaces the view with a fresh one for workspace `id` and loads it. */
  private async openView(id: string): Promise<WorkspaceView | null> {
    const view = new WorkspaceView(this.backend, id);
    const generation = this.replaceView(view);
    this.phase = { status: 'open' };
    await view.start();
    if (generation !== this.generation) return null;
    if (view.hasNoWorkspace) {
      this.showNone();
      return null;
    }
    return view;
  }

  private showNone(): void {
    this.replaceView(null);
    this.phase = { status: 'none' };
  }

  /** Puts `view` in place of the current one (which is disposed) and starts a new generation. */
  private replaceView(view: WorkspaceView | null): number {
    if (this.view !== null && this.view !== view) this.view.dispose();
    this.view = view;
    return ++this.generation;
  }
}
