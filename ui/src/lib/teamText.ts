// The team's words in the window: the link to the team, who has a conversation, who is on it now, members' last
// seen, the policy version. Pure functions, so the header, rows, thread and panel say the same thing.
import type {
  ClaimView,
  PolicyVersionView,
  PresenceView,
  QueueId,
  TeamLink,
  TeamMemberView,
  TeamView,
  Timestamp,
} from './bindings';
import { formatAge, formatClockTime } from './format';

/** The header's link state: "Online", "Offline since 10:42", "Catching up (12 events)", plus "· 3 unsent". */
export function linkLabel(link: TeamLink, now: Timestamp): string {
  let label: string;
  switch (link.state) {
    case 'online':
      label = 'Online';
      break;
    case 'catching_up':
      label = `Catching up (${link.behind} ${link.behind === 1 ? 'event' : 'events'})`;
      break;
    case 'offline':
      label = link.offline_since !== null ? `Offline since ${formatClockTime(link.offline_since, now)}` : 'Offline';
      break;
  }
  return link.unsent > 0 ? `${label} · ${link.unsent} unsent` : label;
}

/** What offline means for the person's work (it never blocks it), after "Offline since 10:42 —". */
export const OFFLINE_HINT = "your actions are sent when it's back";

/** A claim on a row: "Claimed by Ana · 12 m", "Claimed by you", "Claim pending", "Claim lost". */
export function claimLabel(claim: ClaimView, now: Timestamp): string {
  switch (claim.state) {
    case 'pending':
      return 'Claim pending';
    case 'lost':
      return 'Claim lost';
    case 'held':
      return claim.mine ? 'Claimed by you' : `Claimed by ${claim.name} · ${formatAge(claim.since, now)}`;
  }
}

/** A claim in the thread: the row's words, and for a lost claim what happened ("Ana claimed this 3 s before you"). */
export function claimDetail(claim: ClaimView): string | null {
  if (claim.state === 'lost') return claim.explanation ?? `${claim.name} claimed it first.`;
  if (claim.state === 'pending') return 'Decided when the team is reachable again.';
  return null;
}

/**
 * Who is on a conversation now: "Bob is replying", "Ana, Bob are viewing". Replying wins over viewing: while
 * someone writes, only the writers are named. Null when nobody is.
 */
export function presenceLabel(presence: readonly PresenceView[]): string | null {
  const replying = presence.filter((p) => p.activity === 'replying');
  const shown = replying.length > 0 ? replying : presence.filter((p) => p.activity === 'viewing');
  if (shown.length === 0) return null;
  const names = [...new Set(shown.map((p) => p.name))];
  const verb = replying.length > 0 ? 'replying' : 'viewing';
  return `${names.join(', ')} ${names.length === 1 ? 'is' : 'are'} ${verb}`;
}

/** A member's presence in the members panel: "Online now", "Last seen 09:12", or "Never seen". */
export function lastSeenLabel(member: TeamMemberView, now: Timestamp): string {
  if (member.online) return 'Online now';
  if (member.last_seen === null) return 'Not seen yet';
  return `Last seen ${formatClockTime(member.last_seen, now)}`;
}

/** The policy in force: "Policy v12 by Priya". */
export function policyLabel(policy: PolicyVersionView): string {
  return `Policy v${policy.version} by ${policy.by}`;
}

/** Queue ids as their labels (an id the sidebar does not know shows as itself): "Support, Sales". */
export function queueNames(ids: readonly QueueId[], labels: ReadonlyMap<QueueId, string>): string {
  return ids.map((id) => labels.get(id) ?? id).join(', ');
}

/** A member's name by their id, for hand-off notes ("for Priya"); the id when the team does not list them. */
export function memberName(id: string, members: readonly TeamMemberView[]): string {
  return members.find((m) => m.id === id)?.name ?? id;
}

/** Teammates a conversation can be handed to: every member but the person, as the team lists them. */
export function handoffMembers(team: TeamView | null): TeamMemberView[] {
  if (team === null) return [];
  return team.members.filter((m) => m.id !== team.me.id);
}

/**
 * A queue id shown before its label is known (a join code's preview, before the team's policy is here): "support"
 * as "Support", "vip_customers" as "Vip customers".
 */
export function queueIdLabel(id: QueueId): string {
  const words = id.replace(/[-_]+/g, ' ').trim();
  return words === '' ? id : words.charAt(0).toUpperCase() + words.slice(1);
}
