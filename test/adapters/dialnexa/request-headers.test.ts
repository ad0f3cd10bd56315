// What every request to DialNexa carries, seen by a real server on loopback.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createDialNexaClient } from '../../../lambda/adapters/dialnexa';
import { USER_AGENT } from '../../../lambda/adapters/dialnexa/request';
import { createStaticKeySource } from '../../../lambda/adapters/secrets/static-key-source';

describe('DialNexa request headers', () => {
  let server: Server;
  const seen: IncomingHttpHeaders[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push(req.headers);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ data: [], meta: { page: 1, limit: 100, total: 0, totalPages: 0 } }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('names the client (a WAF may refuse a request with no User-Agent), asks for JSON and no compression', async () => {
    const { port } = server.address() as AddressInfo;
    const client = createDialNexaClient({
      baseUrl: `http://127.0.0.1:${port}`,
      keySource: createStaticKeySource('dnx_test_headers_key'),
      maxAttempts: 1,
    });
    const listing = await client.listAll();
    expect(listing.records).toEqual([]);
    expect(seen.length).toBeGreaterThan(0);
    for (const headers of seen) {
      expect(headers['user-agent']).toBe(USER_AGENT);
      expect(headers.authorization).toBe('Bearer dnx_test_headers_key');
      expect(headers.accept).toBe('application/json');
      expect(headers['accept-encoding']).toBeUndefined();
    }
  });
});
