import { describe, expect, it } from 'vitest';
import { BackendError, toBackendError } from './backend';

describe('toBackendError', () => {
  it('keeps a BackendError as it is', () => {
    const error = new BackendError('storage', 'Disk full.');
    expect(toBackendError(error)).toBe(error);
  });

  it('turns an ApiError object into a BackendError', () => {
    const error = toBackendError({ code: 'not_found', message: 'No such conversation.' });
    expect(error).toBeInstanceOf(BackendError);
    expect(error).toMatchObject({ code: 'not_found', message: 'No such conversation.' });
  });

  it('maps an unknown code to internal, keeping the message', () => {
    expect(toBackendError({ code: 'brand_new', message: 'Hm.' })).toMatchObject({ code: 'internal', message: 'Hm.' });
  });

  it('wraps a bare string rejection', () => {
    expect(toBackendError('command list_queues not found')).toMatchObject({
      code: 'internal',
      message: 'command list_queues not found',
    });
  });

  it('gives anything else a plain message', () => {
    const error = toBackendError(undefined);
    expect(error.code).toBe('internal');
    expect(error.message).toMatch(/Something went wrong/);
  });
});
