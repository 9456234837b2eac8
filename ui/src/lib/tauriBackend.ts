// The backend inside the desktop app: the shell's commands (`commands.ts`) over Tauri IPC, plus the `workspace://changed`, `workspace://switched` and
// `conversation://open` events.
import { invoke as tauriInvoke } from '@tauri-apps/api/core';
import { listen as tauriListen } from '@tauri-apps/api/event';
import { toBackendError } from './backend';
import { CommandBackend } from './backendCommands';
import type { CommandName, Commands } from './commands';

export const CHANGED_EVENT = 'workspace://changed';
/** Sent when the person clicks "Open" on a notification; the payload is the conversation's id. */
export const OPEN_EVENT = 'conversation://open';
/** Sent when the current workspace changed outside the window (the tray menu). */
export const SWITCHED_EVENT = 'workspace://switched';

/** The two Tauri calls used, injectable so the mapping can be tested without Tauri. */
export interface TauriIpc {
  invoke<T>(command: string, args?: Record<string, unknown>): Promise<T>;
  /** Calls `handler` with each event's payload. */
  listen(event: string, handler: (payload: unknown) => void): Promise<() => void>;
}

const realIpc: TauriIpc = {
  invoke: (command, args) => tauriInvoke(command, args),
  listen: (event, handler) => tauriListen(event, (e) => handler(e.payload)),
};

/** Commands travel as Tauri IPC calls (`invoke`), events as Tauri events. */
export class TauriBackend extends CommandBackend {
  constructor(private readonly ipc: TauriIpc = realIpc) {
    super();
  }

  protected async call<K extends CommandName>(name: K, args: Commands[K]['args']): Promise<Commands[K]['returns']> {
    try {
      return await this.ipc.invoke<Commands[K]['returns']>(name, args);
    } catch (reason) {
      throw toBackendError(reason);
    }
  }

  onWorkspaceSwitched(callback: () => void): () => void {
    return this.subscribe(SWITCHED_EVENT, () => callback(), 'following workspace switches from the tray is off');
  }

  onChange(callback: () => void): () => void {
    return this.subscribe(CHANGED_EVENT, () => callback(), 'live updates are off');
  }

  onOpenConversation(callback: (conversationId: number) => void): () => void {
    return this.subscribe(
      OPEN_EVENT,
      (payload) => {
        if (typeof payload === 'number' && Number.isSafeInteger(payload)) callback(payload);
        else console.warn('Switchboard: ignored a request to open conversation', payload);
      },
      'opening conversations from notifications is off',
    );
  }

  /** Listens to a Tauri event until the returned function is called (even before listening finished). */
  private subscribe(event: string, handler: (payload: unknown) => void, failure: string): () => void {
    let unlisten: (() => void) | null = null;
    let stopped = false;
    this.ipc
      .listen(event, (payload) => {
        if (!stopped) handler(payload);
      })
      .then((stop) => {
        if (stopped) stop();
        else unlisten = stop;
      })
      .catch((reason: unknown) => {
        console.warn(`Switchboard: ${failure}:`, reason);
      });
    return () => {
      stopped = true;
      unlisten?.();
      unlisten = null;
    };
  }
}
