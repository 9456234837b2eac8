// The backend inside the desktop app: Tauri commands, plus the `workspace://changed` event.
import { invoke as tauriInvoke } from '@tauri-apps/api/core';
import { listen as tauriListen } from '@tauri-apps/api/event';
import { toBackendError, type Backend } from './backend';
import type { ConversationSummary, DoneReason, QueueId, QueueSummary, Thread, WorkspaceInfo } from './bindings';

export const CHANGED_EVENT = 'workspace://changed';

/** The two Tauri calls used, injectable so the mapping can be tested without Tauri. */
export interface TauriIpc {
  invoke<T>(command: string, args?: Record<string, unknown>): Promise<T>;
  listen(event: string, handler: () => void): Promise<() => void>;
}

const realIpc: TauriIpc = {
  invoke: (command, args) => tauriInvoke(command, args),
  listen: (event, handler) => tauriListen(event, () => handler()),
};

export class TauriBackend implements Backend {
  constructor(private readonly ipc: TauriIpc = realIpc) {}

  private async call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
    try {
      return await this.ipc.invoke<T>(command, args);
    } catch (reason) {
      throw toBackendError(reason);
    }
  }

  workspace(): Promise<WorkspaceInfo> {
    return this.call('workspace_info');
  }

  queues(): Promise<QueueSummary[]> {
    return this.call('list_queues');
  }

  conversations(queue: QueueId): Promise<ConversationSummary[]> {
    return this.call('list_conversations', { queue });
  }

  thread(conversationId: number): Promise<Thread> {
    return this.call('get_thread', { conversationId });
  }

  claim(conversationId: number): Promise<Thread> {
    return this.call('claim', { conversationId });
  }

  release(conversationId: number): Promise<Thread> {
    return this.call('release', { conversationId });
  }

  reopen(conversationId: number): Promise<Thread> {
    return this.call('reopen', { conversationId });
  }

  handOff(conversationId: number, queue: QueueId, note: string): Promise<Thread> {
    return this.call('hand_off', { conversationId, queue, note });
  }

  addNote(conversationId: number, note: string): Promise<Thread> {
    return this.call('add_note', { conversationId, note });
  }

  markDone(conversationId: number, reason: DoneReason): Promise<Thread> {
    return this.call('mark_done', { conversationId, reason });
  }

  snooze(conversationId: number, minutes: number): Promise<Thread> {
    return this.call('snooze', { conversationId, minutes });
  }

  onChange(callback: () => void): () => void {
    let unlisten: (() => void) | null = null;
    let stopped = false;
    this.ipc
      .listen(CHANGED_EVENT, () => {
        if (!stopped) callback();
      })
      .then((stop) => {
        if (stopped) stop();
        else unlisten = stop;
      })
      .catch((reason: unknown) => {
        console.warn('Switchboard: live updates are off:', reason);
      });
    return () => {
      stopped = true;
      unlisten?.();
      unlisten = null;
    };
  }
}
