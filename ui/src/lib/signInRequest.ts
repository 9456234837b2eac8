// The "Add account" form's fields, what is wrong with them, and the sign-in request they become.
import type { SignInRequest } from './bindings';

export type SignInPlatform = SignInRequest['platform'];

export const DEFAULT_BLUESKY_SERVICE = 'https://bsky.social';

export interface SignInDraft {
  platform: SignInPlatform;
  /** Mastodon: the instance, e.g. `mastodon.social`. */
  instance: string;
  /** Bluesky: the server (PDS). */
  service: string;
  /** Bluesky: the handle, e.g. `brand.bsky.social`. */
  handle: string;
  /** Bluesky: the app password; cleared as soon as the form is sent. */
  password: string;
}

export const EMPTY_SIGN_IN: Readonly<SignInDraft> = Object.freeze({
  platform: 'mastodon',
  instance: '',
  service: DEFAULT_BLUESKY_SERVICE,
  handle: '',
  password: '',
});

/** Why an address cannot be a server's, or null when it looks like one (the backend checks it for real). */
function addressProblem(address: string, what: string): string | null {
  const clean = address.trim();
  if (clean === '') return `Enter the ${what}.`;
  if (/\s/.test(clean)) return `The ${what} cannot contain spaces.`;
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(clean) ? clean : `https://${clean}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return `“${clean}” is not a web address. Write it like mastodon.social or https://mastodon.social.`;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return `The ${what} must be a web address (https://…).`;
  if (!url.hostname.includes('.') && url.hostname !== 'localhost') {
    return `“${clean}” is not a server's address. Write it like mastodon.social.`;
  }
  return null;
}

/** Why the form cannot be sent as it is, or null when it can. */
export function signInProblem(draft: SignInDraft): string | null {
  if (draft.platform === 'mastodon') return addressProblem(draft.instance, 'Mastodon server');
  const service = addressProblem(draft.service, 'Bluesky server');
  if (service !== null) return service;
  if (cleanHandle(draft.handle) === '') return 'Enter the brand account’s handle, e.g. brand.bsky.social.';
  if (draft.password.trim() === '') return 'Enter an app password for the account.';
  return null;
}

/** A Bluesky handle without spaces or a leading @. */
export function cleanHandle(handle: string): string {
  return handle.trim().replace(/^@/, '');
}

/** The request the form sends (the form must have no problem). */
export function signInRequestFrom(draft: SignInDraft): SignInRequest {
  if (draft.platform === 'mastodon') return { platform: 'mastodon', instance: draft.instance.trim() };
  return {
    platform: 'bluesky',
    service: draft.service.trim(),
    handle: cleanHandle(draft.handle),
    app_password: draft.password.trim(),
  };
}
