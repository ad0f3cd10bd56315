// What the key source relies on from Secrets Manager, written once and run against both the
// stand-in (scripts/support/secrets-local.ts, in `npm test`) and moto (in `npm run test:aws`).
import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

export interface SecretsSubject {
  client: SecretsManagerClient;
  create(name: string, value: string): Promise<void>;
  /**
   * Makes reading this secret answer AccessDenied. The stand-in can; moto cannot without its IAM
   * enforcement mode, so there the case is checked against AWS's documented answer only.
   */
  denyAccess?: (name: string) => Promise<void>;
}

interface AwsError {
  name: string;
  message: string;
  $metadata: { httpStatusCode?: number };
}

async function failure(p: Promise<unknown>): Promise<{ name: string; status?: number; message: string }> {
  try {
    await p;
  } catch (e) {
    const err = e as AwsError;
    return { name: err.name, status: err.$metadata?.httpStatusCode, message: err.message };
  }
  throw new Error('the request succeeded; the contract expects it to fail');
}

export function describeSecretsContract(
  name: string,
  subject: () => SecretsSubject,
  access: 'can-deny' | 'cannot-deny',
): void {
  describe(`Secrets Manager contract: ${name}`, () => {
    let n = 0;
    const fresh = () => `number-audit/contract-${++n}`;
    const read = (SecretId: string) => subject().client.send(new GetSecretValueCommand({ SecretId }));

    it('a string secret reads back as SecretString, with its name and an ARN ending in "-" and 6 characters', async () => {
      const id = fresh();
      await subject().create(id, 'dnx_live_plain');
      const out = await read(id);
      expect(out.SecretString).toBe('dnx_live_plain');
      expect(out.Name).toBe(id);
      expect(out.ARN).toMatch(new RegExp(`^arn:aws:secretsmanager:[a-z0-9-]+:\\d{12}:secret:${id}-[A-Za-z0-9]{6}$`));
      expect(out.VersionStages).toContain('AWSCURRENT');
      expect(out.SecretBinary).toBeUndefined();
    });

    it('a JSON secret reads back as the same JSON text', async () => {
      const id = fresh();
      const json = JSON.stringify({ apiKey: 'dnx_live_json', note: 'ü' });
      await subject().create(id, json);
      expect((await read(id)).SecretString).toBe(json);
    });

    it('a secret reads by its full ARN as by its name', async () => {
      const id = fresh();
      await subject().create(id, 'by-arn');
      const { ARN } = await read(id);
      expect((await read(String(ARN))).SecretString).toBe('by-arn');
    });

    it('a missing secret is ResourceNotFoundException, a client error', async () => {
      const out = await failure(read('number-audit/does-not-exist'));
      expect(out.name).toBe('ResourceNotFoundException');
      // AWS documents HTTP 400, moto answers 404: either way a 4xx the SDK does not retry, and the
      // key source reads the error's name, not its status.
      expect(out.status).toBeGreaterThanOrEqual(400);
      expect(out.status).toBeLessThan(500);
      expect(out.message).toMatch(/can't find the specified secret/);
    });

    // AWS answers a read the caller may not make with AccessDeniedException and HTTP 400 (the
    // GetSecretValue API reference); the key source maps that name to a configuration error.
    if (access === 'can-deny')
      it('a secret the caller may not read is AccessDeniedException (HTTP 400)', async () => {
        const id = fresh();
        await subject().create(id, 'hidden');
        await subject().denyAccess?.(id);
        expect(await failure(read(id))).toMatchObject({ name: 'AccessDeniedException', status: 400 });
      });
  });
}
