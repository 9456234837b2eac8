// The guardrails of the reply boxes: checking what is typed (debounced; an answer for an older text is ignored),
// and the checks before a reply goes — a warning asks first ("Send anyway" confirms its rules), a block refuses.
// It also keeps what the person already answered for the text about to go (the rules confirmed, "send anyway"
// after a collision), so the collision prompt and the guardrail prompt can follow each other in either order and
// the last attempt carries both answers, with the same idempotency key (the text is the same).
import type { GuardrailFinding } from './bindings';
import { blocks, carryFindings, rulesOf, warnings } from './guardrails';

/** How long typing pauses before the text is checked. */
export const CHECK_DELAY_MS = 150;

/** What the reply box asks or says before a reply goes. */
export type GuardrailPrompt =
  /** Warnings: "Send anyway" confirms their rules. */
  | { kind: 'confirm'; conversationId: number; text: string; findings: GuardrailFinding[] }
  /** A rule the policy blocks (or a refusal the window cannot confirm): the reply cannot go as it is. */
  | { kind: 'blocked'; conversationId: number; text: string; messages: string[] };

/** What goes with a reply after the person answered the prompts. */
export interface SendAnswers {
  sendAnyway: boolean;
  confirmedRules: string[] | null;
}

export type CheckReply = (conversationId: number, text: string) => Promise<GuardrailFinding[]>;

interface Timers {
  set(run: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const REAL_TIMERS: Timers = {
  set: (run, ms) => setTimeout(run, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export class ReplyGuardrails {
  /** The last answer of the check: for which conversation and text. */
  private checked = $state.raw<{ conversationId: number; text: string; findings: GuardrailFinding[] } | null>(null);
  private shownPrompt = $state.raw<GuardrailPrompt | null>(null);
  /** Whether a send is being checked (the button waits). */
  checking = $state(false);
  /** The person's answers for the text about to go, per conversation. */
  private answers = new Map<number, { text: string } & SendAnswers>();
  private seq = 0;
  private timer: unknown = null;

  constructor(
    private readonly check: CheckReply,
    private readonly delayMs: number = CHECK_DELAY_MS,
    private readonly timers: Timers = REAL_TIMERS,
  ) {}

  /** The person typed: checks the text once typing pauses; a prompt about another text goes away. */
  typed(conversationId: number, text: string): void {
    if (this.timer !== null) this.timers.clear(this.timer);
    this.timer = null;
    const prompt = this.shownPrompt;
    if (prompt !== null && prompt.conversationId === conversationId && prompt.text !== text.trim()) this.shownPrompt = null;
    if (text.trim() === '') {
      this.seq++;
      this.checked = { conversationId, text, findings: [] };
      return;
    }
    this.timer = this.timers.set(() => {
      this.timer = null;
      void this.checkNow(conversationId, text);
    }, this.delayMs);
  }

  /** The findings to show for `text`: the last check's, carried over the edits since. */
  findingsFor(conversationId: number, text: string): GuardrailFinding[] {
    const checked = this.checked;
    if (checked === null || checked.conversationId !== conversationId) return [];
    return carryFindings(checked.text, checked.findings, text);
  }

  /** Checks `text` now; an answer that comes after a newer check began is dropped. A failed check finds nothing (the send is checked again by the backend). */
  async checkNow(conversationId: number, text: string): Promise<GuardrailFinding[]> {
    const seq = ++this.seq;
    let findings: GuardrailFinding[];
    try {
      findings = await this.check(conversationId, text);
    } catch {
      findings = [];
    }
    if (seq === this.seq) this.checked = { conversationId, text, findings };
    return findings;
  }

  /** What the guardrails find in `text` now, leaving the reply box's findings as they are (nothing when the check fails). */
  async findingsOf(conversationId: number, text: string): Promise<GuardrailFinding[]> {
    try {
      return await this.check(conversationId, text);
    } catch {
      return [];
    }
  }

  /** The prompt of this conversation, if one is open. */
  promptFor(conversationId: number | null): GuardrailPrompt | null {
    const prompt = this.shownPrompt;
    return prompt !== null && prompt.conversationId === conversationId ? prompt : null;
  }

  /** The person cancelled the prompt. */
  dismiss(conversationId: number): void {
    if (this.shownPrompt?.conversationId === conversationId) this.shownPrompt = null;
  }

  /** The person answered "Send anyway" to a collision: kept for this text. */
  answerCollision(conversationId: number, text: string): void {
    this.answerFor(conversationId, text).sendAnyway = true;
  }

  /** The person answered "Send anyway" to the guardrail prompt: its rules are confirmed for its text. */
  confirm(conversationId: number): void {
    const prompt = this.promptFor(conversationId);
    if (prompt === null || prompt.kind !== 'confirm') return;
    const answer = this.answerFor(conversationId, prompt.text);
    answer.confirmedRules = [...new Set([...(answer.confirmedRules ?? []), ...rulesOf(prompt.findings)])];
    this.shownPrompt = null;
  }

  /** What goes with `text` (trimmed, as sent). */
  answersFor(conversationId: number, text: string): SendAnswers {
    const answer = this.answers.get(conversationId);
    if (answer === undefined || answer.text !== text) return { sendAnyway: false, confirmedRules: null };
    return { sendAnyway: answer.sendAnyway, confirmedRules: answer.confirmedRules };
  }

  /**
   * One attempt to send `text` (trimmed, as it goes): checked first — a block refuses it, unconfirmed warnings
   * ask — then `deliver` sends it with the answers so far. When the backend refused it for its guardrails
   * (`refusal` gives its words), the text is checked again and the prompt asks. True once it went.
   */
  async send(
    conversationId: number,
    text: string,
    deliver: (answers: SendAnswers) => Promise<boolean>,
    refusal: () => string | null,
  ): Promise<boolean> {
    if (this.checking) return false;
    this.checking = true;
    let findings: GuardrailFinding[];
    try {
      findings = await this.checkNow(conversationId, text);
    } finally {
      this.checking = false;
    }
    if (this.ask(conversationId, text, findings)) return false;
    const ok = await deliver(this.answersFor(conversationId, text));
    if (ok) {
      this.answers.delete(conversationId);
      this.dismiss(conversationId);
      return true;
    }
    const words = refusal();
    if (words !== null) {
      const again = await this.checkNow(conversationId, text);
      if (!this.ask(conversationId, text, again)) {
        // The window found nothing it could confirm: the backend's words say what to change.
        this.shownPrompt = { kind: 'blocked', conversationId, text, messages: [words] };
      }
    }
    return false;
  }

  /** Opens the prompt `findings` call for, if any; true when it did. */
  private ask(conversationId: number, text: string, findings: GuardrailFinding[]): boolean {
    const blocked = blocks(findings);
    if (blocked.length > 0) {
      this.shownPrompt = { kind: 'blocked', conversationId, text, messages: blocked.map((f) => f.message) };
      return true;
    }
    const confirmed = this.answersFor(conversationId, text).confirmedRules ?? [];
    const warned = warnings(findings);
    if (warned.some((f) => !confirmed.includes(f.rule))) {
      this.shownPrompt = { kind: 'confirm', conversationId, text, findings: warned };
      return true;
    }
    return false;
  }

  private answerFor(conversationId: number, text: string): { text: string } & SendAnswers {
    let answer = this.answers.get(conversationId);
    if (answer === undefined || answer.text !== text) {
      answer = { text, sendAnyway: false, confirmedRules: null };
      this.answers.set(conversationId, answer);
    }
    return answer;
  }

  /** Stops a check waiting for typing to pause. */
  dispose(): void {
    if (this.timer !== null) this.timers.clear(this.timer);
    this.timer = null;
  }
}
