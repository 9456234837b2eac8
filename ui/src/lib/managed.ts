// Managed settings in words: which settings the organisation fixes ("locked"), and what the window says about
// them. A locked setting shows "Managed by your organisation" next to it; when the organisation's settings could
// not be read, the backend locks down (no new brand account is admitted) and the window says why.
import type { ManagedView } from './bindings';

/** The names of the settings the window shows a lock on (`ManagedView.locked`). */
export type LockedSetting = 'allowed_accounts' | 'local_workspaces' | 'demo' | 'join_servers' | 'update_url' | 'update_channel';

export const MANAGED_LABEL = 'Managed by your organisation';

/** Whether the organisation fixes `setting` (false while the managed settings are unknown). */
export function isLocked(view: ManagedView | null, setting: LockedSetting): boolean {
  return view !== null && view.locked.includes(setting);
}

/** The badge's tooltip: where the managed settings come from. */
export function managedSourceTitle(view: ManagedView | null): string {
  const source = view?.source?.trim();
  return source ? `Set by your organisation in ${source}` : 'Set by your organisation';
}

/** The banner when the managed settings could not be read; null when there is nothing to say. */
export function managedProblemText(view: ManagedView | null): string | null {
  const problem = view?.problem?.trim();
  if (!problem) return null;
  const why = problem.replace(/[.\s]+$/, '');
  return `Your organisation's settings could not be read (${why}): new brand accounts are refused until IT fixes them.`;
}

/** The brand accounts the organisation allows, when it fixes them; null when any account may be added. */
export function allowedAccounts(view: ManagedView | null): string[] | null {
  return isLocked(view, 'allowed_accounts') ? view!.allowed_accounts : null;
}

/** Whether the person may create a workspace of their own (true until the managed settings say otherwise). */
export function localWorkspacesAllowed(view: ManagedView | null): boolean {
  return view === null || view.local_workspaces_allowed;
}

/** The team servers join codes may point at, when the organisation fixes them; null when any server will do. */
export function fixedJoinServers(view: ManagedView | null): string[] | null {
  return isLocked(view, 'join_servers') && view!.join_servers.length > 0 ? view!.join_servers : null;
}

/** Whether the update address or channel is fixed by the organisation. */
export function updatesLocked(view: ManagedView | null): boolean {
  return isLocked(view, 'update_url') || isLocked(view, 'update_channel');
}
