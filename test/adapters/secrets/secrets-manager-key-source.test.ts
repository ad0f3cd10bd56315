import { inspect } from 'node:util';
import {
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { createSecretsManagerKeySource } from '../../../lambda/adapters/secrets/secrets-manager-key-source';
import { ConfigError } from '../../../lambda/core/errors';
import { startSecretsLocal, type SecretsLocal } from '../../../scripts/support/secrets-local';

const KEY = 'dnx_live_4f9c2b7e1a';

describe('createSecretsManagerKeySource through a real SDK client and the local stand-in', () => {
  let sm: SecretsLocal;
  let client: SecretsManagerClient;

  beforeAll(async () => {
    sm = await startSecretsLocal();
    client = new SecretsManagerClient({ endpoint: sm.endpoint, region: 'eu-west-1', maxAttempts: 1 });
  });
  afterAll(async () => {
    client.destroy();
    await sm.close();
  });

  let n = 0;
  /** A fresh secret id per test, so call counts never mix. */
  function secret(value: Parameters<SecretsLocal['setSecret']>[1]): string {
    const id = `number-audit/test-${++n}`;
    sm.setSecret(id, value);
    return id;
  }

  it('the stand-in answers GetSecretValue and ResourceNotFound the way the SDK expects', async () => {
    const id = secret('plain');
    const out = await client.send(new GetSecretValueCommand({ SecretId: id }));
    expect(out).toMatchObject({ Name: id, SecretString: 'plain', VersionStages: ['AWSCURRENT'] });
    expect(out.ARN).toMatch(new RegExp(`^arn:aws:secretsmanager:[a-z0-9-]+:000000000000:secret:${id}-`));
    await expect(client.send(new GetSecretValueCommand({ SecretId: 'absent' }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
    expect(sm.calls(id)).toBe(1);
    expect(sm.calls('absent')).toBe(1);
  });

  it('reaches the stand-in through AWS_ENDPOINT_URL_SECRETS_MANAGER with a client it makes itself', async () => {
    const id = secret(KEY);
    const before = process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER;
    process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER = sm.endpoint;
    try {
      await expect(createSecretsManagerKeySource({ secretId: id }).getKey()).resolves.toBe(KEY);
    } finally {
      if (before === undefined) delete process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER;
      else process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER = before;
    }
    expect(sm.calls(id)).toBe(1);
  });

  it('returns a raw key, trimmed of a trailing newline, and describes the secret', async () => {
    const id = secret(`${KEY}\n`);
    const source = createSecretsManagerKeySource({ secretId: id, client });
    expect(source.description).toBe(`secret "${id}"`);
    await expect(source.getKey()).resolves.toBe(KEY);
  });

  it('reads the apiKey field of a JSON secret', async () => {
    const id = secret(JSON.stringify({ apiKey: KEY, workspace: 'acme' }));
    await expect(createSecretsManagerKeySource({ secretId: id, client }).getKey()).resolves.toBe(KEY);
  });

  it('reads a custom field', async () => {
    const id = secret(JSON.stringify({ apiKey: 'not-this-one', dialnexa_token: KEY }));
    const source = createSecretsManagerKeySource({ secretId: id, field: 'dialnexa_token', client });
    await expect(source.getKey()).resolves.toBe(KEY);
  });

  it('caches the value: a second call within maxAge does not reach Secrets Manager', async () => {
    const id = secret(KEY);
    const source = createSecretsManagerKeySource({ secretId: id, client });
    await source.getKey();
    sm.setSecret(id, 'rotated_key_2');
    await expect(source.getKey()).resolves.toBe(KEY);
    expect(sm.calls(id)).toBe(1);
  });

  it('reads the secret once for callers that ask at the same time, even with the cache off', async () => {
    const id = secret(KEY);
    const source = createSecretsManagerKeySource({ secretId: id, client, maxAgeSeconds: 0 });
    await expect(Promise.all([source.getKey(), source.getKey(), source.getKey()])).resolves.toEqual([KEY, KEY, KEY]);
    expect(sm.calls(id)).toBe(1);
    await source.getKey();
    expect(sm.calls(id)).toBe(2);
  });

  it('shares one fresh read among callers that all saw the key refused at the same time', async () => {
    const id = secret(KEY);
    const source = createSecretsManagerKeySource({ secretId: id, client });
    await source.getKey();
    sm.setSecret(id, 'rotated_key_2');
    const fresh = await Promise.all([1, 2, 3].map(() => source.getKey({ fresh: true })));
    expect(fresh).toEqual(['rotated_key_2', 'rotated_key_2', 'rotated_key_2']);
    expect(sm.calls(id)).toBe(2);
  });

  it('fresh: true bypasses the cache and picks up a rotated key, which is then cached', async () => {
    const id = secret(KEY);
    const source = createSecretsManagerKeySource({ secretId: id, client });
    await source.getKey();
    sm.setSecret(id, 'rotated_key_2');
    await expect(source.getKey({ fresh: true })).resolves.toBe('rotated_key_2');
    await expect(source.getKey()).resolves.toBe('rotated_key_2');
    expect(sm.calls(id)).toBe(2);
  });

  it('maxAgeSeconds 0 fetches on every call', async () => {
    const id = secret(KEY);
    const source = createSecretsManagerKeySource({ secretId: id, client, maxAgeSeconds: 0 });
    await source.getKey();
    await source.getKey();
    expect(sm.calls(id)).toBe(2);
  });

  /** Rejects with a ConfigError naming the secret; the value, or any part of it, appears nowhere. */
  async function expectConfigError(
    p: Promise<string>,
    id: string,
    problem: string,
    setting = 'DIALNEXA_SECRET_ID',
  ): Promise<ConfigError> {
    const err = await p.then(
      () => {
        throw new Error('expected a ConfigError');
      },
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ConfigError);
    const ce = err as ConfigError;
    expect(ce.setting).toBe(setting);
    expect(ce.message).toContain(`secret "${id}"`);
    expect(ce.message).toContain(problem);
    const everything = inspect(ce, { depth: 10 });
    for (const fragment of [KEY, KEY.slice(0, 8), KEY.slice(-8)]) expect(everything).not.toContain(fragment);
    return ce;
  }

  it.each<[string, Parameters<SecretsLocal['setSecret']>[1], string]>([
    ['an empty SecretString', '', 'has no value (empty SecretString)'],
    ['whitespace only', ' \n ', 'is empty'],
    ['a binary secret', { binary: Buffer.from(KEY) }, 'is stored as binary (SecretBinary)'],
    ['JSON without the field', JSON.stringify({ key: KEY }), 'is JSON but has no string field "apiKey"'],
    [
      'JSON with a non-string field',
      JSON.stringify({ apiKey: 4242, other: KEY }),
      'is JSON but has no string field "apiKey"',
    ],
    ['JSON with an empty field', JSON.stringify({ apiKey: '  ', other: KEY }), 'field "apiKey" is empty'],
    ['a JSON array', JSON.stringify([KEY]), 'is JSON but has no string field "apiKey"'],
    ['malformed JSON', `{"apiKey": "${KEY}"`, 'looks like JSON but does not parse'],
    ['whitespace inside a raw key', `${KEY.slice(0, 9)} ${KEY.slice(9)}`, 'contains whitespace or control characters'],
    ['whitespace inside the field', JSON.stringify({ apiKey: `${KEY}\tx` }), 'field "apiKey" contains whitespace'],
  ])('%s -> ConfigError naming the secret, never the value', async (_label, value, problem) => {
    const id = secret(value);
    await expectConfigError(createSecretsManagerKeySource({ secretId: id, client }).getKey(), id, problem);
  });

  it('names the configured setting', async () => {
    const id = secret('');
    const source = createSecretsManagerKeySource({ secretId: id, client, settingName: 'secretId (CDK context)' });
    await expectConfigError(source.getKey(), id, 'has no value', 'secretId (CDK context)');
  });

  it('maps a missing secret to an actionable ConfigError', async () => {
    const source = createSecretsManagerKeySource({ secretId: 'number-audit/missing', client });
    const err = await expectConfigError(source.getKey(), 'number-audit/missing', 'was not found in Secrets Manager');
    expect(err.message).toContain(
      "Check the name or ARN, and that the function runs in the secret's account and region",
    );
    expect(err.cause).toBeInstanceOf(ResourceNotFoundException);
  });

  it('maps AccessDenied to a ConfigError that says which permission to grant', async () => {
    const id = secret({
      error: 'AccessDeniedException',
      message:
        'User: arn:aws:sts::000000000000:assumed-role/audit/fn is not authorized to perform: secretsmanager:GetSecretValue',
    });
    const err = await expectConfigError(
      createSecretsManagerKeySource({ secretId: id, client }).getKey(),
      id,
      'was denied',
    );
    expect(err.message).toContain('is not authorized to perform: secretsmanager:GetSecretValue');
    expect(err.message).toContain('Allow secretsmanager:GetSecretValue on the secret for the role that runs the audit');
  });

  it('maps a KMS decryption failure to a ConfigError about kms:Decrypt', async () => {
    const id = secret({ error: 'DecryptionFailure', message: 'KMS access denied' });
    await expectConfigError(createSecretsManagerKeySource({ secretId: id, client }).getKey(), id, 'Allow kms:Decrypt');
  });

  it('passes other Secrets Manager failures through unchanged (not a configuration problem)', async () => {
    const id = secret({ error: 'InvalidParameterException', message: 'bad parameter' });
    const err = await createSecretsManagerKeySource({ secretId: id, client })
      .getKey()
      .catch((e: unknown) => e);
    expect(err).not.toBeInstanceOf(ConfigError);
    expect(err).toMatchObject({ name: 'InvalidParameterException', message: 'bad parameter' });
  });

  it('rejects an empty secret id when created', () => {
    expect(() => createSecretsManagerKeySource({ secretId: ' ', client })).toThrow(ConfigError);
  });
});

describe('createSecretsManagerKeySource cache expiry', () => {
  const client = new SecretsManagerClient({ region: 'eu-west-1' });
  const smMock = mockClient(client);

  afterEach(() => {
    smMock.reset();
    jest.useRealTimers();
  });
  afterAll(() => smMock.restore());

  it('refetches once maxAge has passed, not before', async () => {
    // Only Date is faked: the cache compares wall-clock expiry times.
    jest.useFakeTimers({
      now: new Date('2025-03-03T07:00:00Z'),
      doNotFake: [
        'nextTick',
        'setImmediate',
        'clearImmediate',
        'setTimeout',
        'clearTimeout',
        'setInterval',
        'clearInterval',
        'queueMicrotask',
        'hrtime',
        'performance',
      ],
    });
    smMock.on(GetSecretValueCommand).resolvesOnce({ SecretString: KEY }).resolves({ SecretString: 'rotated_key_2' });
    const source = createSecretsManagerKeySource({ secretId: 'prod/dialnexa', client, maxAgeSeconds: 60 });

    await expect(source.getKey()).resolves.toBe(KEY);
    jest.setSystemTime(new Date('2025-03-03T07:00:59Z'));
    await expect(source.getKey()).resolves.toBe(KEY);
    expect(smMock.commandCalls(GetSecretValueCommand)).toHaveLength(1);

    jest.setSystemTime(new Date('2025-03-03T07:01:01Z'));
    await expect(source.getKey()).resolves.toBe('rotated_key_2');
    expect(smMock.commandCalls(GetSecretValueCommand)).toHaveLength(2);
    expect(smMock.commandCalls(GetSecretValueCommand)[0].args[0].input).toEqual({ SecretId: 'prod/dialnexa' });
  });

  it('keeps caches apart per key source', async () => {
    smMock.on(GetSecretValueCommand).resolves({ SecretString: KEY });
    await createSecretsManagerKeySource({ secretId: 'a', client }).getKey();
    await createSecretsManagerKeySource({ secretId: 'a', client }).getKey();
    expect(smMock.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });
});
