// Picks the backend for this page: Tauri inside the app, the HTTP bridge from `?bridge=…&token=…`, or none.
import type { Backend } from './backend';
import { HttpBackend } from './httpBackend';
import { TauriBackend } from './tauriBackend';

/** The parts of `window` the choice depends on. */
export interface BackendHost {
  location: { search: string };
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** The bridge address from the query, only when it is an http(s) URL on this machine. */
export function bridgeUrlFrom(raw: string | null): string | null {
  if (!raw) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (!LOOPBACK_HOSTS.has(url.hostname)) return null;
  return url.origin + url.pathname.replace(/\/+$/, '');
}

export function selectBackend(host: BackendHost): Backend | null {
  if ('__TAURI_INTERNALS__' in host) return new TauriBackend();
  const params = new URLSearchParams(host.location.search);
  const bridge = bridgeUrlFrom(params.get('bridge'));
  const token = params.get('token');
  if (bridge && token) return new HttpBackend(bridge, token);
  return null;
}
