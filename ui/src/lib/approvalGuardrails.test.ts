import { describe, expect, it } from 'vitest';
import { approvalPrompt, confirmedAfter } from './approvalGuardrails';
import type { GuardrailFinding } from './bindings';

function finding(text: string, words: string, rule: string, action: 'warn' | 'block' = 'warn'): GuardrailFinding {
  const start = text.indexOf(words);
  return { rule, kind: 'contact_leak', start, end: start + words.length, message: `About ${rule}`, action };
}

const TEXT = 'Our desk is on +44 20 7946 0958. Or text me.';
const phone = finding(TEXT, '+44 20 7946 0958', 'phone_number');
const textMe = finding(TEXT, 'text me', 'messaging_app');

describe('approvalPrompt', () => {
  it('asks only about the words the backend quotes (the trainee confirmed the rest)', () => {
    const refusal = 'This reply invites the customer to a messaging app (“text me”). Send it anyway?';
    expect(approvalPrompt(7, TEXT, [phone, textMe], refusal, [])).toEqual({
      kind: 'confirm',
      conversationId: 7,
      text: TEXT,
      findings: [textMe],
    });
  });

  it('asks about every unconfirmed warning when the refusal quotes none of them', () => {
    const prompt = approvalPrompt(7, TEXT, [phone, textMe], 'This reply needs a look. Send it anyway?', ['phone_number']);
    expect(prompt).toMatchObject({ kind: 'confirm', findings: [textMe] });
  });

  it('says why a blocked rule stops the approval, and gives the backend’s words when nothing is found', () => {
    const link = finding(TEXT, 'text me', 'messaging_link', 'block');
    expect(approvalPrompt(7, TEXT, [phone, link], 'cannot go', [])).toEqual({
      kind: 'blocked',
      conversationId: 7,
      text: TEXT,
      messages: ['About messaging_link'],
    });
    expect(approvalPrompt(7, TEXT, [], 'The policy does not allow it.', [])).toEqual({
      kind: 'blocked',
      conversationId: 7,
      text: TEXT,
      messages: ['The policy does not allow it.'],
    });
  });

  it('adds the prompt’s rules to those confirmed before', () => {
    const prompt = approvalPrompt(7, TEXT, [phone, textMe], '(“text me”)', []);
    expect(confirmedAfter(prompt, ['phone_number'])).toEqual(['phone_number', 'messaging_app']);
    expect(confirmedAfter({ kind: 'blocked', conversationId: 7, text: TEXT, messages: [] }, ['x'])).toEqual(['x']);
  });
});
