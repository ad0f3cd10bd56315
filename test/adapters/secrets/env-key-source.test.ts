import { inspect } from 'node:util';
import { createEnvKeySource } from '../../../lambda/adapters/secrets/env-key-source';
import { createStaticKeySource } from '../../../lambda/adapters/secrets/static-key-source';
import { API_KEY_VAR } from '../../../lambda/cli/args';
import { ConfigError } from '../../../lambda/core/errors';

const KEY = 'dnx_live_4f9c2b7e1a';

describe('createEnvKeySource', () => {
  it("reads the CLI's variable, DIALNEXA_API_KEY, trimmed, and describes where it came from", async () => {
    const source = createEnvKeySource(API_KEY_VAR, { DIALNEXA_API_KEY: ` ${KEY}\n` });
    expect(source.description).toBe('environment variable DIALNEXA_API_KEY');
    await expect(source.getKey()).resolves.toBe(KEY);
  });

  it('reads a custom variable, at call time rather than at creation', async () => {
    const env: NodeJS.ProcessEnv = {};
    const source = createEnvKeySource('STAGING_KEY', env);
    env.STAGING_KEY = KEY;
    expect(source.description).toBe('environment variable STAGING_KEY');
    await expect(source.getKey({ fresh: true })).resolves.toBe(KEY);
  });

  it.each([
    ['missing', {}],
    ['empty', { DIALNEXA_API_KEY: '' }],
    ['blank', { DIALNEXA_API_KEY: '   ' }],
  ])('%s -> ConfigError naming the variable', async (_label, env: NodeJS.ProcessEnv) => {
    const p = createEnvKeySource('DIALNEXA_API_KEY', env).getKey();
    await expect(p).rejects.toBeInstanceOf(ConfigError);
    await expect(p).rejects.toMatchObject({
      setting: 'DIALNEXA_API_KEY',
      message: 'DIALNEXA_API_KEY: is not set or is empty; set it to the DialNexa API key',
    });
  });

  it('rejects whitespace inside the key without quoting it', async () => {
    const value = `${KEY.slice(0, 9)} ${KEY.slice(9)}`;
    const err = await createEnvKeySource('DIALNEXA_API_KEY', { DIALNEXA_API_KEY: value })
      .getKey()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).message).toBe(
      'DIALNEXA_API_KEY: contains whitespace or control characters inside the key',
    );
    expect(inspect(err)).not.toContain(KEY.slice(0, 8));
    expect(inspect(err)).not.toContain(KEY.slice(-8));
  });

  it('reads process.env when no env is given', async () => {
    const before = process.env.NUMBER_AUDIT_TEST_KEY;
    process.env.NUMBER_AUDIT_TEST_KEY = KEY;
    try {
      await expect(createEnvKeySource('NUMBER_AUDIT_TEST_KEY').getKey()).resolves.toBe(KEY);
    } finally {
      if (before === undefined) delete process.env.NUMBER_AUDIT_TEST_KEY;
      else process.env.NUMBER_AUDIT_TEST_KEY = before;
    }
  });
});

describe('createStaticKeySource', () => {
  it('returns the given key under the given description', async () => {
    const source = createStaticKeySource(KEY, 'simulator key');
    expect(source.description).toBe('simulator key');
    await expect(source.getKey({ fresh: true })).resolves.toBe(KEY);
  });
});
