// The workspace's saved replies: the list (read when first needed and after each change), and the panel (p) that
// manages them — create, edit, archive and restore (nothing is deleted: the log keeps every version). The
// backend's validation errors are shown in its own plain words.
import { toBackendError, type WorkspaceBackend } from './backend';
import type { SavedReply, SavedReplyDraft } from './bindings';
import type { LoadState } from './consoleState.svelte';

type SavedRepliesBackend = Pick<WorkspaceBackend, 'savedReplies' | 'saveSavedReply' | 'archiveSavedReply'>;

/** A new, empty saved reply. */
export function emptyDraft(): SavedReplyDraft {
  return { id: null, title: '', text: '', category: '', queues: [], platforms: [] };
}

/** A saved reply as a draft to edit. */
export function draftOf(reply: SavedReply): SavedReplyDraft {
  return {
    id: reply.id,
    title: reply.title,
    text: reply.text,
    category: reply.category,
    queues: [...reply.queues],
    platforms: [...reply.platforms],
  };
}

export class SavedReplies {
  list = $state.raw<SavedReply[]>([]);
  load = $state.raw<LoadState>({ status: 'idle' });
  isOpen = $state(false);
  /** The saved reply being written or edited in the panel; null when none is. */
  draft = $state<SavedReplyDraft | null>(null);
  saving = $state(false);
  /** Why the last save or archive failed, in the backend's words. */
  error = $state<string | null>(null);
  private seq = 0;

  constructor(private readonly backend: SavedRepliesBackend) {}

  /** Those in use, by title. */
  get active(): SavedReply[] {
    return this.list.filter((r) => !r.archived);
  }

  /** The archived ones, shown apart. */
  get archived(): SavedReply[] {
    return this.list.filter((r) => r.archived);
  }

  /** Reads the list (again). */
  async reload(): Promise<void> {
    const seq = ++this.seq;
    if (this.load.status !== 'ready') this.load = { status: 'loading' };
    try {
      const list = await this.backend.savedReplies();
      if (seq !== this.seq) return;
      this.list = sorted(list);
      this.load = { status: 'ready' };
    } catch (reason) {
      if (seq === this.seq) this.load = { status: 'error', error: toBackendError(reason) };
    }
  }

  /** Reads the list unless it is already there (the reply box's picker). */
  async ensureLoaded(): Promise<void> {
    if (this.load.status !== 'ready' && this.load.status !== 'loading') await this.reload();
  }

  /** Something changed in the workspace: a teammate's saved replies come along. */
  refresh(): void {
    if (this.load.status === 'ready') void this.reload();
  }

  async open(): Promise<void> {
    this.isOpen = true;
    this.error = null;
    await this.reload();
  }

  close(): void {
    this.isOpen = false;
    this.draft = null;
    this.error = null;
  }

  startNew(): void {
    this.draft = emptyDraft();
    this.error = null;
  }

  edit(reply: SavedReply): void {
    this.draft = draftOf(reply);
    this.error = null;
  }

  cancelEdit(): void {
    this.draft = null;
    this.error = null;
  }

  /** Saves the draft; the form closes once the backend took it, else its words show and the form stays. */
  async save(): Promise<boolean> {
    const draft = this.draft;
    if (draft === null || this.saving) return false;
    this.saving = true;
    this.error = null;
    try {
      const saved = await this.backend.saveSavedReply($state.snapshot(draft));
      this.list = sorted([...this.list.filter((r) => r.id !== saved.id), saved]);
      this.draft = null;
      return true;
    } catch (reason) {
      this.error = toBackendError(reason).message;
      return false;
    } finally {
      this.saving = false;
    }
  }

  /** Archives (or restores) one. */
  async archive(id: string, archived: boolean): Promise<boolean> {
    if (this.saving) return false;
    this.saving = true;
    this.error = null;
    try {
      this.list = sorted(await this.backend.archiveSavedReply(id, archived));
      if (this.draft?.id === id) this.draft = null;
      return true;
    } catch (reason) {
      this.error = toBackendError(reason).message;
      return false;
    } finally {
      this.saving = false;
    }
  }
}

function sorted(list: SavedReply[]): SavedReply[] {
  return [...list].sort((a, b) => a.title.localeCompare(b.title));
}
