// A tiny local stand-in for Secrets Manager: GetSecretValue only, over the real AWS JSON 1.1
// protocol, so a real SecretsManagerClient (endpoint option, or AWS_ENDPOINT_URL_SECRETS_MANAGER)
// talks to it. 127.0.0.1, port 0. Signatures are not checked. A local stand-in for tests and
// local runs; never part of the Lambda bundle.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A secret's content, or an AWS error to answer with (e.g. `{ error: 'AccessDeniedException' }`). */
export type LocalSecret = string | { binary: Uint8Array } | { error: string; message?: string; status?: number };

export interface SecretsLocal {
  endpoint: string;
  /** GetSecretValue requests received, for one SecretId or for all. */
  calls(secretId?: string): number;
  setSecret(secretId: string, value: LocalSecret): void;
  deleteSecret(secretId: string): void;
  close(): Promise<void>;
}

const ACCOUNT = '000000000000';

export async function startSecretsLocal(initial: Record<string, LocalSecret> = {}): Promise<SecretsLocal> {
  const secrets = new Map<string, LocalSecret>(Object.entries(initial));
  const versions = new Map<string, number>();
  const received: string[] = [];

  const server = createServer((req, res) => {
    void handle(req, res).catch((err: unknown) => {
      send(res, 500, { __type: 'InternalServiceError', message: String(err) });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const target = String(req.headers['x-amz-target'] ?? '');
    if (req.method !== 'POST' || target !== 'secretsmanager.GetSecretValue') {
      send(res, 400, {
        __type: 'UnknownOperationException',
        message: `stand-in does not implement ${target || req.method}`,
      });
      return;
    }
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as { SecretId?: string };
    const id = body.SecretId ?? '';
    received.push(id);
    // The id the secret was set under: as given, or the name inside the ARN it was asked by.
    const key = secrets.has(id) ? id : nameOfArn(id);
    const secret = secrets.get(key);
    if (secret === undefined) {
      send(res, 400, {
        __type: 'ResourceNotFoundException',
        message: "Secrets Manager can't find the specified secret.",
      });
      return;
    }
    if (typeof secret === 'object' && 'error' in secret) {
      send(res, secret.status ?? 400, {
        __type: secret.error,
        message: secret.message ?? `${secret.error} (stand-in)`,
      });
      return;
    }
    const name = key.startsWith('arn:') ? (key.split(':secret:')[1] ?? key) : key;
    const version = versions.get(key) ?? 1;
    send(res, 200, {
      ARN: key.startsWith('arn:')
        ? key
        : `arn:aws:secretsmanager:${process.env.AWS_REGION ?? 'us-east-1'}:${ACCOUNT}:secret:${key}-AbCdEf`,
      Name: name,
      VersionId: `00000000-0000-4000-8000-${String(version).padStart(12, '0')}`,
      VersionStages: ['AWSCURRENT'],
      CreatedDate: 1_700_000_000,
      ...(typeof secret === 'string'
        ? { SecretString: secret }
        : { SecretBinary: Buffer.from(secret.binary).toString('base64') }),
    });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls: (secretId) => (secretId === undefined ? received.length : received.filter((r) => r === secretId).length),
    setSecret(secretId, value) {
      secrets.set(secretId, value);
      versions.set(secretId, (versions.get(secretId) ?? 1) + 1);
    },
    deleteSecret: (secretId) => void secrets.delete(secretId),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/**
 * Secrets Manager finds a secret by its name or by its ARN: the full ARN (name, "-" and the 6
 * characters it appends) or the partial one without them. A secret set by name answers both.
 */
function nameOfArn(id: string): string {
  const name = id.startsWith('arn:') ? (id.split(':secret:')[1] ?? id) : id;
  return name.replace(/-[A-Za-z0-9]{6}$/, '');
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1',
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': '00000000-0000-4000-8000-000000000000',
  });
  res.end(text);
}
