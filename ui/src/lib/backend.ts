// The one interface the window talks to, and the one error class every backend failure becomes.
import type {
  AlertPreferences,
  ConversationSummary,
  DoneReason,
  ErrorCode,
  QueueId,
  QueueSummary,
  Thread,
  WorkspaceInfo,
} from './bindings';

export interface Backend {
  workspace(): Promise<WorkspaceInfo>;
  /** The sidebar, in display order. */
  queues(): Promise<QueueSummary[]>;
  /** Already sorted by the backend. */
  conversations(queue: QueueId): Promise<ConversationSummary[]>;
  thread(conversationId: number): Promise<Thread>;
  /** Calls back when the workspace changed; returns the unsubscribe function. */
  onChange(callback: () => void): () => void;

  // Actions on one conversation. Each resolves with the conversation as it now stands.
  claim(conversationId: number): Promise<Thread>;
  release(conversationId: number): Promise<Thread>;
  reopen(conversationId: number): Promise<Thread>;
  /** Moves it to another queue with a note for the next person (the note is required). */
  handOff(conversationId: number, queue: QueueId, note: string): Promise<Thread>;
  addNote(conversationId: number, note: string): Promise<Thread>;
  markDone(conversationId: number, reason: DoneReason): Promise<Thread>;
  /** Pauses its response clock for `minutes`. */
  snooze(conversationId: number, minutes: number): Promise<Thread>;

  // The person's desktop notifications.
  alertPreferences(): Promise<AlertPreferences>;
  /** Saves them (`person`, `lead_of` and `time_zone` are read-only); resolves with what is now stored. */
  setAlertPreferences(preferences: AlertPreferences): Promise<AlertPreferences>;
  /** Pauses notifications for `minutes`; 0 resumes them. */
  pauseAlerts(minutes: number): Promise<AlertPreferences>;
  /** Calls back when the person asks to open a conversation from outside the window (an OS notification's "Open"). */
  onOpenConversation(callback: (conversationId: number) => void): () => void;
}

/** The backend's own codes, plus the failures only the window can see. */
export type BackendErrorCode = ErrorCode | 'unreachable' | 'unauthorized';

const KNOWN_CODES: readonly BackendErrorCode[] = [
  'not_found',
  'invalid_input',
  'storage',
  'internal',
  'unreachable',
  'unauthorized',
];

export const UNREACHABLE_MESSAGE =
  "Switchboard's backend is not responding. Check that it is still running, then try again.";

const UNKNOWN_MESSAGE = 'Something went wrong in Switchboard. Try again; if it keeps happening, restart the app.';

export class BackendError extends Error {
  readonly code: BackendErrorCode;

  constructor(code: BackendErrorCode, message: string) {
    super(message);
    this.name = 'BackendError';
    this.code = code;
  }
}

/** Whether a value has the shape of the backend's `ApiError` ({code, message}). */
export function isApiErrorLike(value: unknown): value is { code: string; message: string } {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { code?: unknown }).code === 'string' &&
    typeof (value as { message?: unknown }).message === 'string'
  );
}

function knownCode(code: string): BackendErrorCode {
  return (KNOWN_CODES as readonly string[]).includes(code) ? (code as BackendErrorCode) : 'internal';
}

/** Turns anything a backend call threw or rejected with into a `BackendError`. */
export function toBackendError(reason: unknown): BackendError {
  if (reason instanceof BackendError) return reason;
  if (isApiErrorLike(reason)) {
    const message = reason.message.trim() || UNKNOWN_MESSAGE;
    return new BackendError(knownCode(reason.code), message);
  }
  // Tauri rejects with a bare string when the failure happens before the command runs.
  if (typeof reason === 'string' && reason.trim() !== '') {
    return new BackendError('internal', reason);
  }
  return new BackendError('internal', UNKNOWN_MESSAGE);
}
