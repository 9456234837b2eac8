// The guardrails on a lead's approval of a trainee's reply. The backend knows what the trainee confirmed (for the
// same words), so the approval goes first and the lead is asked only when the backend refuses it: its refusal
// quotes the words still to confirm (“…”), and the prompt lists just those findings; a blocked rule says why.
import type { GuardrailFinding } from './bindings';
import { blocks, rulesOf, warnings } from './guardrails';
import type { GuardrailPrompt } from './replyGuardrails.svelte';

/** The words of `text` a finding is on (its span counts UTF-16 units, like a JavaScript string index). */
function wordsOf(text: string, finding: GuardrailFinding): string {
  return text.slice(finding.start, finding.end);
}

/**
 * What to ask after the backend refused approving `text` for its guardrails (`refusal`, its words), given what the
 * guardrails find in it now and the rules the lead confirmed already.
 */
export function approvalPrompt(
  conversationId: number,
  text: string,
  findings: readonly GuardrailFinding[],
  refusal: string,
  confirmed: readonly string[],
): GuardrailPrompt {
  const blocked = blocks(findings);
  if (blocked.length > 0) return { kind: 'blocked', conversationId, text, messages: blocked.map((f) => f.message) };
  const open = warnings(findings).filter((f) => !confirmed.includes(f.rule));
  const asked = open.filter((f) => refusal.includes(`“${wordsOf(text, f)}”`));
  const shown = asked.length > 0 ? asked : open;
  if (shown.length === 0) return { kind: 'blocked', conversationId, text, messages: [refusal] };
  return { kind: 'confirm', conversationId, text, findings: shown };
}

/** The rules confirmed once the lead answered "Send anyway" to `prompt`, with those confirmed before. */
export function confirmedAfter(prompt: GuardrailPrompt, before: readonly string[]): string[] {
  if (prompt.kind !== 'confirm') return [...before];
  return [...new Set([...before, ...rulesOf(prompt.findings)])];
}
