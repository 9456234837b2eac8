// Sample data shaped like the backend's answers, shared by the unit tests.
import { vi } from 'vitest';
import type { Backend, WorkspaceBackend } from './backend';
import type {
  SavedReply,
  GuardrailFinding,
  AccountSync,
  AccountView,
  AlertPreferences,
  ClaimView,
  ConversationSummary,
  CrashNotice,
  JoinPreview,
  ManagedView,
  OutgoingReply,
  PresenceView,
  QueueResponseTimes,
  QueueSummary,
  ResponseTimesReport,
  SlaView,
  StartupView,
  TeamMemberView,
  TeamView,
  Thread,
  UpdateView,
  WorkspaceEntry,
  WorkspaceInfo,
} from './bindings';

export const demoWorkspace: WorkspaceInfo = {
  id: 'demo',
  name: 'Demo — Northwind Coffee',
  is_demo: true,
  policy_path: '/data/demo/policy.toml',
  policy_error: null,
  policy_notice: null,
  is_team: false,
};

export function queueSummary(
  id: string,
  label: string,
  waiting = 0,
  overrides: Partial<QueueSummary> = {},
): QueueSummary {
  return {
    queue: { id, label, color: '#2f80ed' },
    waiting_count: waiting,
    conversation_count: waiting,
    at_risk_count: 0,
    breached_count: 0,
    spike: null,
    ...overrides,
  };
}

/** A response clock: at risk at `atRisk`, due at `due`, escalated at `escalated` (all absolute). */
export function slaView(atRisk: number, due: number, escalated: number, overrides: Partial<SlaView> = {}): SlaView {
  return { state: 'on_track', at_risk_at: atRisk, due_at: due, escalated_at: escalated, first_response: true, ...overrides };
}

export function conversation(id: number, queue = 'support', overrides: Partial<ConversationSummary> = {}): ConversationSummary {
  return {
    id,
    queue,
    platform: 'mastodon',
    kind: 'mention',
    customer: { handle: `@c${id}@example.social`, display_name: `Customer ${id}` },
    preview: `Hello from ${id}`,
    last_activity_at: 1_000,
    waiting_since: 1_000,
    item_count: 1,
    sla: null,
    claimed_by: null,
    done_reason: null,
    snoozed_until: null,
    handoff_note: null,
    note_count: 0,
    team: null,
    reply_window: null,
    ...overrides,
  };
}

export function threadOf(summary: ConversationSummary): Thread {
  return {
    conversation: summary,
    items: [
      {
        id: summary.id * 10,
        author: summary.customer,
        from_brand: false,
        kind: summary.kind,
        text: summary.preview,
        lang: 'en',
        created_at: summary.last_activity_at,
        hidden: false,
        hidden_by: null,
        hidden_reason: null,
      },
    ],
    history: [
      {
        seq: summary.id * 100,
        at: summary.last_activity_at,
        kind: 'item_ingested',
        by: null,
        detail: `${summary.customer.display_name} wrote: ${summary.preview}`,
      },
    ],
    outgoing: [],
    version: 0,
    reply_limit: null,
  };
}

/** A reply written in Switchboard, still sending unless told otherwise. */
export function outgoingReply(id: number, text: string, overrides: Partial<OutgoingReply> = {}): OutgoingReply {
  return { id, text, state: 'sending', error: null, by: 'Ana', created_at: 2_000, approval: null, ...overrides };
}

/** A workspace in the switcher's list. */
export function workspaceEntry(id: string, name: string, overrides: Partial<WorkspaceEntry> = {}): WorkspaceEntry {
  return { id, name, is_demo: false, is_current: false, is_team: false, open_error: null, ...overrides };
}

/** The workspace info of a (non-demo) workspace. */
export function workspaceInfo(id: string, name: string, overrides: Partial<WorkspaceInfo> = {}): WorkspaceInfo {
  return { id, name, is_demo: false, policy_path: `/data/${id}/policy.toml`, policy_error: null, policy_notice: null, is_team: false, ...overrides };
}

/** A brand account that syncs fine, pulled at 1 000 and due again at 61 000. */
export function account(
  key: string,
  overrides: Partial<Omit<AccountView, 'sync'>> & { sync?: Partial<AccountSync> } = {},
): AccountView {
  const { sync, ...rest } = overrides;
  return {
    key,
    platform: 'mastodon',
    handle: '@brand@social.example',
    display_name: 'Brand',
    service: 'https://social.example',
    sync: { last_pull_at: 1_000, next_pull_at: 61_000, budget_left: 290, error: null, needs_sign_in: false, ...sync },
    ...rest,
  };
}

/** Calls that reject ("not used by this test") and subscriptions that do nothing. */
function unusedCalls() {
  const unused = () =>
    vi.fn(async (..._args: unknown[]): Promise<never> => {
      throw new Error('This test does not expect this backend call.');
    });
  return {
    workspace: unused(),
    queues: unused(),
    conversations: unused(),
    thread: unused(),
    claim: unused(),
    release: unused(),
    reopen: unused(),
    handOff: unused(),
    addNote: unused(),
    setItemHidden: unused(),
    markDone: unused(),
    snooze: unused(),
    alertPreferences: unused(),
    setAlertPreferences: unused(),
    pauseAlerts: unused(),
    sendReply: unused(),
    retryReply: unused(),
    approveReply: unused(),
    rejectReply: unused(),
    checkReply: unused(),
    savedReplies: unused(),
    saveSavedReply: unused(),
    archiveSavedReply: unused(),
    fillSavedReply: unused(),
    teamView: unused(),
    setPresence: unused(),
    accounts: unused(),
    addAccount: unused(),
    cancelSignIn: unused(),
    confirmAccount: unused(),
    removeAccount: unused(),
    metaAppSetup: unused(),
    startMetaSignIn: unused(),
    finishMetaSignIn: unused(),
    addMetaAccounts: unused(),
    responseTimes: unused(),
    workspaces: unused(),
    createWorkspace: unused(),
    renameWorkspace: unused(),
    switchWorkspace: unused(),
    exportWorkspaceLog: unused(),
    removeWorkspace: unused(),
    previewJoin: unused(),
    joinTeam: unused(),
    managedSettings: unused(),
    startupSettings: unused(),
    setStartAtLogin: unused(),
    lastCrash: unused(),
    dismissCrash: unused(),
    openCrashFolder: unused(),
    checkForUpdate: unused(),
    installUpdate: unused(),
  };
}

/** A backend whose every call rejects ("not used by this test") and whose subscriptions do nothing; tests replace what they use. */
export function unusedBackend() {
  const noSubscription = () => vi.fn((_callback: (...args: never[]) => void) => () => undefined);
  return {
    ...unusedCalls(),
    onChange: noSubscription(),
    onOpenConversation: noSubscription(),
    onWorkspaceSwitched: noSubscription(),
  } satisfies Backend;
}

/** One workspace's calls (what a workspace's view uses), each rejecting until the test replaces it. */
export function unusedWorkspaceBackend() {
  const {
    workspaces: _w,
    createWorkspace: _c,
    renameWorkspace: _r,
    switchWorkspace: _s,
    exportWorkspaceLog: _e,
    removeWorkspace: _d,
    previewJoin: _p,
    joinTeam: _j,
    managedSettings: _ms,
    startupSettings: _ss,
    setStartAtLogin: _sl,
    lastCrash: _lc,
    dismissCrash: _dc,
    openCrashFolder: _oc,
    checkForUpdate: _cu,
    installUpdate: _iu,
    ...calls
  } = unusedCalls();
  return calls satisfies WorkspaceBackend;
}

/** Ana's notification preferences: every queue, no quiet hours, a one-minute cool-down, not paused. */
export function alertPrefs(overrides: Partial<AlertPreferences> = {}): AlertPreferences {
  return {
    person: 'Ana',
    queues: [],
    lead_of: [],
    quiet_hours: null,
    time_zone: 'Europe/Lisbon',
    cooldown_seconds: 60,
    paused_until: null,
    escalations_pierce_quiet_hours: false,
    ...overrides,
  };
}

/** The days of the sample response-times reports, oldest first. */
export const REPORT_DAYS = ['2026-11-29', '2026-11-30', '2026-12-01'];

/** One queue's row of a response-times report: no responses (and no SLA) unless told otherwise. */
export function queueResponseTimes(
  id: string,
  label: string,
  overrides: Partial<QueueResponseTimes> = {},
): QueueResponseTimes {
  return {
    queue: { id, label, color: '#2f80ed' },
    responses: 0,
    first_responses: 0,
    median_millis: null,
    p90_millis: null,
    within_target: null,
    per_day: REPORT_DAYS.map(() => ({ responses: 0, median_millis: null })),
    ...overrides,
  };
}

/** A response-times report over `days` (REPORT_DAYS unless told otherwise). */
export function responseTimesReport(queues: QueueResponseTimes[], days: string[] = REPORT_DAYS): ResponseTimesReport {
  return { from: 1_000, to: 2_000, days, queues };
}

/** A team member: Ana of Support, online, neither lead nor trainee unless told otherwise. */
export function teamMember(id: string, name: string, overrides: Partial<TeamMemberView> = {}): TeamMemberView {
  return { id, name, queues: ['support'], lead: false, trainee: false, online: true, last_seen: 1_000, ...overrides };
}

/** The team "Northwind Support" seen by `me` (Ana unless told otherwise), online, with Bob and Priya. */
export function teamView(overrides: Partial<TeamView> = {}): TeamView {
  const me = overrides.me ?? teamMember('ana', 'Ana');
  const others = [teamMember('ana', 'Ana'), teamMember('bob', 'Bob'), teamMember('priya', 'Priya', { queues: ['sales'], lead: true })];
  return {
    team_name: 'Northwind Support',
    me,
    link: { state: 'online', offline_since: null, behind: 0, unsent: 0, error: null },
    members: [me, ...others.filter((m) => m.id !== me.id)],
    policy: null,
    awaiting_approval: 0,
    ...overrides,
  };
}

/** A claim held by Ana since 1 000, unless told otherwise. */
export function claimView(overrides: Partial<ClaimView> = {}): ClaimView {
  return { member: 'ana', name: 'Ana', mine: false, since: 1_000, state: 'held', explanation: null, ...overrides };
}

/** A teammate on a conversation now. */
export function presenceView(name: string, activity: PresenceView['activity']): PresenceView {
  return { member: name.toLowerCase(), name, activity };
}

/** What a join code for Ana of Support and Sales leads to. */
export function joinPreview(overrides: Partial<JoinPreview> = {}): JoinPreview {
  return {
    team_name: 'Northwind Support',
    server: 'db.northwind.example:5432',
    member_name: 'Ana',
    queues: ['support', 'sales'],
    lead: false,
    trainee: false,
    ...overrides,
  };
}

/** A guardrail finding of `rule` on the first `span` of `text` (a warning, unless told otherwise). */
export function finding(rule: string, text: string, span: string, overrides: Partial<GuardrailFinding> = {}): GuardrailFinding {
  const start = text.indexOf(span);
  if (start < 0) throw new Error(`${span} is not in ${text}`);
  return { rule, kind: 'contact_leak', start, end: start + span.length, message: `Flagged by ${rule}.`, action: 'warn', ...overrides };
}

/** A saved reply for any queue and platform, in use, unless told otherwise. */
export function savedReply(id: string, title: string, text: string, overrides: Partial<SavedReply> = {}): SavedReply {
  const placeholders = [...text.matchAll(/\{\{([^}]+)\}\}/g)].map((m) => m[1]!);
  return {
    id,
    title,
    text,
    category: '',
    queues: [],
    platforms: [],
    placeholders,
    archived: false,
    updated_by: 'Ana',
    updated_at: 1_000,
    ...overrides,
  };
}

/** Managed settings as an unmanaged laptop has them (nothing locked); tests override what they fix. */
export function managedView(overrides: Partial<ManagedView> = {}): ManagedView {
  return {
    managed: false,
    source: null,
    problem: null,
    locked: [],
    allowed_accounts: [],
    local_workspaces_allowed: true,
    demo_allowed: true,
    join_servers: [],
    ...overrides,
  };
}

/** A desktop that can start Switchboard at login, not doing so, never asked. */
export function startupView(overrides: Partial<StartupView> = {}): StartupView {
  return { available: true, start_at_login: false, asked: false, ...overrides };
}

/** A crash at `at` with a one-line summary. */
export function crashNotice(at: number, overrides: Partial<CrashNotice> = {}): CrashNotice {
  return { at, folder: '/home/ana/.local/share/switchboard/crashes', summary: 'the sync thread panicked', ...overrides };
}

/** Updates configured, nothing found yet. */
export function updateView(overrides: Partial<UpdateView> = {}): UpdateView {
  return { configured: true, channel: null, available: null, message: null, ...overrides };
}

