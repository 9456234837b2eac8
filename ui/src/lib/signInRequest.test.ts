import { describe, expect, it } from 'vitest';
import { EMPTY_SIGN_IN, signInProblem, signInRequestFrom } from './signInRequest';

describe('signInProblem', () => {
  const mastodon = (instance: string) => signInProblem({ ...EMPTY_SIGN_IN, platform: 'mastodon', instance });
  const bluesky = (change: object) => signInProblem({ ...EMPTY_SIGN_IN, platform: 'bluesky', handle: 'brand.bsky.social', password: 'pw', ...change });

  it('accepts a Mastodon server with or without https://', () => {
    expect(mastodon('mastodon.social')).toBeNull();
    expect(mastodon('https://social.example/')).toBeNull();
    expect(mastodon('  ')).toBe('Enter the Mastodon server.');
    expect(mastodon('mastodon social')).toBe('The Mastodon server cannot contain spaces.');
    expect(mastodon('ftp://social.example')).toContain('must be a web address');
    expect(mastodon('mastodon')).toContain('is not a server');
  });

  it('wants the Bluesky server, a handle and an app password', () => {
    expect(bluesky({})).toBeNull();
    expect(bluesky({ service: '' })).toBe('Enter the Bluesky server.');
    expect(bluesky({ handle: ' @ ' })).toContain('handle');
    expect(bluesky({ password: '' })).toBe('Enter an app password for the account.');
  });
});

describe('signInRequestFrom', () => {
  it('builds the request for each platform, trimmed, without a leading @', () => {
    expect(signInRequestFrom({ ...EMPTY_SIGN_IN, instance: ' social.example ', password: 'ignored' })).toEqual({
      platform: 'mastodon',
      instance: 'social.example',
    });
    expect(
      signInRequestFrom({ ...EMPTY_SIGN_IN, platform: 'bluesky', handle: ' @brand.bsky.social', password: ' abcd ' }),
    ).toEqual({ platform: 'bluesky', service: 'https://bsky.social', handle: 'brand.bsky.social', app_password: 'abcd' });
  });
});
