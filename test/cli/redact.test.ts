import { createRedactor, REDACTED } from '../../lambda/cli/redact';
import { exitCodeFor } from '../../lambda/cli/exit-codes';
import {
  ApiError,
  AuthError,
  ConfigError,
  DeadlineExceededError,
  DeliveryError,
  PermissionError,
} from '../../lambda/core/errors';

describe('redactor', () => {
  it('replaces every occurrence of a known key', () => {
    const r = createRedactor();
    r.add('  dnx_live_abcdef123456\n');
    expect(r.redact('a dnx_live_abcdef123456 b dnx_live_abcdef123456')).toBe(`a ${REDACTED} b ${REDACTED}`);
  });

  it('replaces a piece of 8 or more characters of a known key, as a cut error message would hold', () => {
    const r = createRedactor();
    r.add('dnx_live_9f8e7d6c5b4a39281706f5e4d3c2b1a0ZyXw');
    expect(r.redact('Bearer dnx_live_9f8e7d6c5b4a39... refused')).toBe(`Bearer ${REDACTED}... refused`);
    expect(r.redact('tail 2b1a0ZyXw')).toBe(`tail ${REDACTED}`);
  });

  it('ignores empty and very short values that would blank out ordinary words', () => {
    const r = createRedactor();
    r.add(undefined);
    r.add('');
    r.add('abc');
    expect(r.redact('abc and more')).toBe('abc and more');
  });
});

describe('exitCodeFor', () => {
  it.each([
    [new ConfigError('--type', 'bad'), 2],
    [new AuthError('401'), 3],
    [new PermissionError('403'), 3],
    [new ApiError('500', 500), 1],
    [new DeadlineExceededError('late'), 1],
    [new DeliveryError('ses'), 1],
    [new Error('boom'), 1],
    ['a string', 1],
  ])('%p -> %i', (error, code) => {
    expect(exitCodeFor(error)).toBe(code);
  });
});
