// The rules for a workspace's name, checked before asking the backend (which checks them again).
import type { WorkspaceEntry } from './bindings';

export const WORKSPACE_NAME_MAX = 80;

/** The name as it will be saved: without surrounding spaces. */
export function cleanWorkspaceName(name: string): string {
  return name.trim();
}

/**
 * Why this name cannot be used, or null when it can. `others` are the other workspaces (a name already in use
 * would make the switcher ambiguous); `except` is the one being renamed.
 */
export function workspaceNameProblem(
  name: string,
  others: readonly WorkspaceEntry[] = [],
  except: string | null = null,
): string | null {
  const clean = cleanWorkspaceName(name);
  if (clean === '') return 'Give the workspace a name.';
  const length = [...clean].length;
  if (length > WORKSPACE_NAME_MAX) {
    return `Keep the name to ${WORKSPACE_NAME_MAX} characters or fewer (it has ${length}).`;
  }
  const taken = others.some((w) => w.id !== except && w.name.trim().toLowerCase() === clean.toLowerCase());
  if (taken) return `There is already a workspace called “${clean}”. Pick another name.`;
  return null;
}
