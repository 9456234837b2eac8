// Guardrail findings in the reply box: which text they flag, how the flagged spans are cut out of the reply for
// the highlight behind the textarea, and how findings of an older text still fit the text as edited since.
// A finding's span is in UTF-16 code units, which are JavaScript string indices.
import type { GuardrailFinding } from './bindings';

/** A piece of the reply for the highlight: plain text, or a span a rule flagged. */
export interface HighlightSegment {
  text: string;
  /** The rule that flagged it; null for plain text. */
  rule: string | null;
  action: GuardrailFinding['action'] | null;
}

/** The findings that warn (sending needs a confirmation) and those that block (it cannot be sent). */
export function warnings(findings: readonly GuardrailFinding[]): GuardrailFinding[] {
  return findings.filter((f) => f.action === 'warn');
}

export function blocks(findings: readonly GuardrailFinding[]): GuardrailFinding[] {
  return findings.filter((f) => f.action === 'block');
}

/** The rules of some findings, each once, in order. */
export function rulesOf(findings: readonly GuardrailFinding[]): string[] {
  return [...new Set(findings.map((f) => f.rule))];
}

/**
 * `text` cut into plain pieces and flagged spans, in order; joined they are `text` again. Spans outside the text
 * are clipped; a span overlapping an earlier one is left out of the highlight (its finding is still listed).
 */
export function highlightSegments(text: string, findings: readonly GuardrailFinding[]): HighlightSegment[] {
  const spans = findings
    .map((f) => ({ f, start: Math.max(0, Math.min(f.start, text.length)), end: Math.max(0, Math.min(f.end, text.length)) }))
    .filter((s) => s.end > s.start)
    .sort((a, b) => a.start - b.start || b.end - a.end);
  const segments: HighlightSegment[] = [];
  let at = 0;
  for (const { f, start, end } of spans) {
    if (start < at) continue;
    if (start > at) segments.push({ text: text.slice(at, start), rule: null, action: null });
    segments.push({ text: text.slice(start, end), rule: f.rule, action: f.action });
    at = end;
  }
  if (at < text.length || segments.length === 0) segments.push({ text: text.slice(at), rule: null, action: null });
  return segments;
}

/**
 * The findings of `checked` that still hold in `text` (typed since): those in the unchanged start stay, those in
 * the unchanged end move with it; those touching the edit are dropped until the next check.
 */
export function carryFindings(checked: string, findings: readonly GuardrailFinding[], text: string): GuardrailFinding[] {
  if (checked === text) return [...findings];
  let prefix = 0;
  const shortest = Math.min(checked.length, text.length);
  while (prefix < shortest && checked.charCodeAt(prefix) === text.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (
    suffix < shortest - prefix &&
    checked.charCodeAt(checked.length - 1 - suffix) === text.charCodeAt(text.length - 1 - suffix)
  )
    suffix++;
  const shift = text.length - checked.length;
  const tailStart = checked.length - suffix;
  const kept: GuardrailFinding[] = [];
  for (const f of findings) {
    // One unchanged character on the edit's side, so a span the edit could have grown is not kept.
    if (f.end < prefix) kept.push(f);
    else if (f.start > tailStart) kept.push({ ...f, start: f.start + shift, end: f.end + shift });
  }
  return kept;
}
