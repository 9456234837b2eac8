import { describe, expect, it } from 'vitest';
import type { TeamLink } from './bindings';
import {
  claimDetail,
  claimLabel,
  lastSeenLabel,
  linkLabel,
  memberName,
  policyLabel,
  presenceLabel,
  queueIdLabel,
  queueNames,
} from './teamText';
import { claimView, presenceView, teamMember } from './testFixtures';

const NOW = new Date(2026, 11, 6, 11, 0).getTime();
const AT_10_42 = new Date(2026, 11, 6, 10, 42).getTime();

function link(overrides: Partial<TeamLink>): TeamLink {
  return { state: 'online', offline_since: null, behind: 0, unsent: 0, error: null, ...overrides };
}

describe('linkLabel', () => {
  it('says online, offline since when, or how far behind, and what is still unsent', () => {
    expect(linkLabel(link({}), NOW)).toBe('Online');
    expect(linkLabel(link({ state: 'offline', offline_since: AT_10_42 }), NOW)).toBe('Offline since 10:42');
    expect(linkLabel(link({ state: 'offline', offline_since: AT_10_42, unsent: 3 }), NOW)).toBe('Offline since 10:42 · 3 unsent');
    expect(linkLabel(link({ state: 'catching_up', behind: 12 }), NOW)).toBe('Catching up (12 events)');
    expect(linkLabel(link({ state: 'catching_up', behind: 1 }), NOW)).toBe('Catching up (1 event)');
    expect(linkLabel(link({ state: 'offline' }), NOW)).toBe('Offline');
  });
});

describe('claimLabel and claimDetail', () => {
  it('names the holder with the claim\'s age, or says it is yours, pending or lost', () => {
    expect(claimLabel(claimView({ since: NOW - 12 * 60_000 }), NOW)).toBe('Claimed by Ana · 12 m');
    expect(claimLabel(claimView({ mine: true }), NOW)).toBe('Claimed by you');
    expect(claimLabel(claimView({ mine: true, state: 'pending' }), NOW)).toBe('Claim pending');
    expect(claimLabel(claimView({ state: 'lost' }), NOW)).toBe('Claim lost');
  });

  it('explains a lost claim in the thread, with the backend\'s words when it has them', () => {
    expect(claimDetail(claimView({ state: 'lost', explanation: 'Ana claimed this 3 s before you' }))).toBe(
      'Ana claimed this 3 s before you',
    );
    expect(claimDetail(claimView({ state: 'lost' }))).toBe('Ana claimed it first.');
    expect(claimDetail(claimView())).toBeNull();
  });
});

describe('presenceLabel', () => {
  it('names who is replying before who is viewing, several at once', () => {
    expect(presenceLabel([])).toBeNull();
    expect(presenceLabel([presenceView('Ana', 'viewing')])).toBe('Ana is viewing');
    expect(presenceLabel([presenceView('Ana', 'viewing'), presenceView('Bob', 'viewing')])).toBe('Ana, Bob are viewing');
    expect(presenceLabel([presenceView('Ana', 'viewing'), presenceView('Bob', 'replying')])).toBe('Bob is replying');
  });
});

describe('members and policy', () => {
  it('says online now or when last seen', () => {
    expect(lastSeenLabel(teamMember('ana', 'Ana'), NOW)).toBe('Online now');
    expect(lastSeenLabel(teamMember('ana', 'Ana', { online: false, last_seen: AT_10_42 }), NOW)).toBe('Last seen 10:42');
    expect(lastSeenLabel(teamMember('ana', 'Ana', { online: false, last_seen: null }), NOW)).toBe('Not seen yet');
  });

  it('names the policy version and its author, queues by label, and members by id', () => {
    expect(policyLabel({ version: 12, by: 'Priya', at: 0 })).toBe('Policy v12 by Priya');
    expect(queueNames(['support', 'vip'], new Map([['support', 'Support']]))).toBe('Support, vip');
    expect(memberName('priya', [teamMember('priya', 'Priya')])).toBe('Priya');
    expect(memberName('gone', [])).toBe('gone');
    expect(queueIdLabel('support')).toBe('Support');
    expect(queueIdLabel('vip_customers')).toBe('Vip customers');
  });
});
