// A hung AWS endpoint must cost a bounded number of bounded attempts, never the whole run.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { AWS_CALL_LIMITS, awsClientOptions } from '../../../lambda/adapters/aws/client-options';

/** A loopback server that reads each request and never answers it. */
async function hungServer(): Promise<{ server: Server; url: string; requests: () => number }> {
  let count = 0;
  const server = createServer(() => {
    count += 1;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}`, requests: () => count };
}

describe('awsClientOptions', () => {
  let hung: Awaited<ReturnType<typeof hungServer>>;
  beforeEach(async () => {
    hung = await hungServer();
  });
  afterEach(async () => {
    hung.server.closeAllConnections();
    await new Promise((resolve) => hung.server.close(resolve));
  });

  it('keeps a request timeout and bounded retries by default', () => {
    const options = awsClientOptions();
    expect(options.maxAttempts).toBeGreaterThan(1);
    expect(options.maxAttempts).toBeLessThanOrEqual(5);
    expect(options.requestHandler.requestTimeout).toBeGreaterThanOrEqual(5_000);
    expect(options.requestHandler.requestTimeout).toBeLessThanOrEqual(10_000);
    expect(AWS_CALL_LIMITS.connectionTimeoutMs).toBeLessThanOrEqual(AWS_CALL_LIMITS.requestTimeoutMs);
  });

  it('gives up on a hung S3 endpoint after maxAttempts timed-out attempts', async () => {
    const client = new S3Client({
      ...awsClientOptions({ requestTimeoutMs: 150 }),
      endpoint: hung.url,
      forcePathStyle: true,
    });
    await expect(client.send(new GetObjectCommand({ Bucket: 'b', Key: 'k' }))).rejects.toThrow(/timeout|timed out/i);
    expect(hung.requests()).toBe(AWS_CALL_LIMITS.maxAttempts);
  });

  it('gives up on a hung Secrets Manager endpoint the same way', async () => {
    const client = new SecretsManagerClient({
      ...awsClientOptions({ requestTimeoutMs: 150, maxAttempts: 2 }),
      endpoint: hung.url,
    });
    await expect(client.send(new GetSecretValueCommand({ SecretId: 's' }))).rejects.toThrow(/timeout|timed out/i);
    expect(hung.requests()).toBe(2);
  });
});
