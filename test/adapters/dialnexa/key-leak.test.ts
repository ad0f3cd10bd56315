// A server (or a proxy in front of it) that echoes the Authorization header into its answers must
// not get any part of the key into our errors: not whole, not cut by a preview, not in pieces.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createDialNexaClient } from '../../../lambda/adapters/dialnexa';
import { createStaticKeySource } from '../../../lambda/adapters/secrets/static-key-source';
import { withoutControls } from '../../../lambda/core/api-text';

const KEY = 'dnx_live_9f8e7d6c5b4a39281706f5e4d3c2b1a0ZyXw'; // 44 characters

/** Every 8-character run of the key found in `text`. */
function leakedRuns(text: string): string[] {
  const runs: string[] = [];
  for (let i = 0; i + 8 <= KEY.length; i += 1) if (text.includes(KEY.slice(i, i + 8))) runs.push(KEY.slice(i, i + 8));
  return runs;
}

async function echoingServer(
  answer: (auth: string) => { status: number; type: string; body: string },
): Promise<Server> {
  const server = createServer((req, res) => {
    const { status, type, body } = answer(String(req.headers.authorization));
    res.writeHead(status, { 'content-type': type });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

async function errorFrom(server: Server): Promise<string> {
  const { port } = server.address() as AddressInfo;
  const client = createDialNexaClient({
    baseUrl: `http://127.0.0.1:${port}`,
    keySource: createStaticKeySource(KEY),
    maxAttempts: 1,
    sleep: async () => undefined,
  });
  const error = await client.listAll().catch((e: unknown) => e);
  expect(error).toBeInstanceOf(Error);
  return `${(error as Error).message}\n${(error as Error).stack ?? ''}`;
}

describe('no part of the key leaks into errors', () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise((resolve) => server?.close(resolve));
  });

  it.each([0, 9, 26, 34, 40, 55])(
    'a 200 whose non-JSON body echoes the header (key starting %i characters before the preview cut)',
    async (before) => {
      // The preview is 60 characters; "Authorization: " is 15 and "Bearer " 7.
      const pad = 'x'.repeat(Math.max(0, 60 - before - 22));
      server = await echoingServer((auth) => ({
        status: 200,
        type: 'text/plain',
        body: `${pad}Authorization: ${auth}`,
      }));
      const message = await errorFrom(server);
      expect(message).toContain('not valid JSON');
      expect(leakedRuns(message)).toEqual([]);
    },
  );

  it('a 400 whose error message quotes pieces of the key', async () => {
    server = await echoingServer(() => ({
      status: 400,
      type: 'application/json',
      body: JSON.stringify({
        statusCode: 400,
        message: `key ${KEY.slice(0, 20)}... and ${KEY.slice(25, 40)} rejected`,
        error: 'Bad Request',
      }),
    }));
    const message = await errorFrom(server);
    expect(message).toContain('rejected');
    expect(leakedRuns(message)).toEqual([]);
  });

  it('quotes at most 500 characters of what the server said, without its control characters', async () => {
    server = await echoingServer(() => ({
      status: 400,
      type: 'application/json',
      body: JSON.stringify({ statusCode: 400, message: `\u001b[31m${'e'.repeat(100_000)}`, error: 'Bad Request' }),
    }));
    const message = (await errorFrom(server)).split('\n')[0];
    expect(message).toContain('e'.repeat(400));
    expect(message).not.toContain('e'.repeat(501));
    expect(message).not.toContain('\u001b');
  });
});

describe('no part of the key leaks into the data', () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise((resolve) => server?.close(resolve));
  });

  it('a page that echoes the header into records (plain and JSON-escaped) lists them with the key redacted', async () => {
    server = await echoingServer((auth) => ({
      status: 200,
      type: 'application/json',
      body: JSON.stringify({
        data: [
          { id: 'phn_1', phone_number: '+14155550100', nickname: auth, provider: `via ${auth.slice(10, 30)}` },
          { id: 'phn_2', phone_number: '+14155550101', friendly_name: `${auth}`.replace(/d/g, '\\u0064') },
          { id: 'phn_3', phone_number: '+14155550102', nickname: auth.replace(/(.{5})/g, '$1\u200b') },
        ],
        meta: { total: 3, page: 1, limit: 100 },
      }).replace(/\\\\u0064/g, '\\u0064'),
    }));
    const { port } = server.address() as AddressInfo;
    const client = createDialNexaClient({
      baseUrl: `http://127.0.0.1:${port}`,
      keySource: createStaticKeySource(KEY),
      sleep: async () => undefined,
    });
    const listing = await client.listAll();
    expect(listing.records.map((r) => r.id)).toEqual(['phn_1', 'phn_2', 'phn_3']);
    expect(leakedRuns(JSON.stringify(listing.records))).toEqual([]);
    // Cleaned as the run cleans API text: the zero-width marks go, and still no key.
    expect(leakedRuns(listing.records.map((r) => withoutControls(String(r.nickname))).join(' '))).toEqual([]);
    expect(listing.records[0]).toMatchObject({ nickname: 'Bearer [redacted]', provider: 'via [redacted]' });
  });
});
