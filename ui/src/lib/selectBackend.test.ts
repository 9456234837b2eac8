import { describe, expect, it } from 'vitest';
import { HttpBackend } from './httpBackend';
import { bridgeUrlFrom, selectBackend } from './selectBackend';
import { TauriBackend } from './tauriBackend';

const page = (search: string, extra: object = {}) => ({ location: { search }, ...extra });

describe('selectBackend', () => {
  it('uses Tauri when the Tauri marker is on the window', () => {
    const backend = selectBackend(page('?bridge=http://127.0.0.1:9000&token=t', { __TAURI_INTERNALS__: {} }));
    expect(backend).toBeInstanceOf(TauriBackend);
  });

  it('uses the HTTP bridge from ?bridge=…&token=…', () => {
    const backend = selectBackend(page('?bridge=http%3A%2F%2F127.0.0.1%3A9000&token=abc'));
    expect(backend).toBeInstanceOf(HttpBackend);
  });

  it('has no backend without the marker or the query', () => {
    expect(selectBackend(page(''))).toBeNull();
  });

  it('needs both the bridge and the token', () => {
    expect(selectBackend(page('?bridge=http://127.0.0.1:9000'))).toBeNull();
    expect(selectBackend(page('?token=abc'))).toBeNull();
    expect(selectBackend(page('?bridge=http://127.0.0.1:9000&token='))).toBeNull();
  });

  it('refuses a bridge that is not on this machine', () => {
    expect(selectBackend(page('?bridge=https://example.com&token=abc'))).toBeNull();
  });
});

describe('bridgeUrlFrom', () => {
  it('accepts loopback http(s) addresses and drops trailing slashes', () => {
    expect(bridgeUrlFrom('http://127.0.0.1:9000/')).toBe('http://127.0.0.1:9000');
    expect(bridgeUrlFrom('http://localhost:9000')).toBe('http://localhost:9000');
    expect(bridgeUrlFrom('http://[::1]:9000/base/')).toBe('http://[::1]:9000/base');
  });

  it('rejects other schemes, hosts, and non-URLs', () => {
    expect(bridgeUrlFrom('javascript:alert(1)')).toBeNull();
    expect(bridgeUrlFrom('file:///etc/passwd')).toBeNull();
    expect(bridgeUrlFrom('http://192.168.1.5:9000')).toBeNull();
    expect(bridgeUrlFrom('not a url')).toBeNull();
    expect(bridgeUrlFrom(null)).toBeNull();
  });
});
