// The node:http transport on real loopback sockets: what a fetch-backed exchange did (one timeout
// over request and body, abort, size limits, UTF-8 with the BOM dropped) plus keep-alive reuse,
// no redirect following, and a CLI process that exits once its run is done.
import { execFile } from 'node:child_process';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';
import { exchange, type HttpOutcome, nodeTransport, type Transport } from '../../../lambda/adapters/dialnexa/http';
import { generatePortfolio, startSimulator } from '../../../simulator';

interface TestServer {
  url: string;
  /** Distinct sockets that sent a request. */
  sockets: Set<Socket>;
  requests: number;
  close(): Promise<void>;
}

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<TestServer> {
  const sockets = new Set<Socket>();
  const state = { requests: 0 };
  const server: Server = createServer((req, res) => {
    state.requests += 1;
    sockets.add(req.socket);
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    sockets,
    get requests() {
      return state.requests;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function get(
  transport: Transport,
  url: string,
  options: { timeoutMs?: number; signal?: AbortSignal; maxBodyBytes?: number } = {},
): Promise<HttpOutcome> {
  return exchange({
    transport,
    url,
    headers: { Accept: 'application/json' },
    timeoutMs: options.timeoutMs ?? 2000,
    signal: options.signal ?? new AbortController().signal,
    maxBodyBytes: options.maxBodyBytes,
  });
}

function answerOf(outcome: HttpOutcome) {
  if (!outcome.ok) throw new Error(`expected an answer, got ${JSON.stringify(outcome)}`);
  return outcome.answer;
}

it('hands on the status, the headers (any case, repeats joined) and the body', async () => {
  server = await serve((req, res) => {
    res.setHeader('Retry-After', '3');
    res.setHeader('X-Multi', ['a', 'b']);
    res.setHeader('Content-Type', 'application/json');
    res.statusCode = 429;
    res.end(JSON.stringify({ accept: req.headers.accept }));
  });
  const answer = answerOf(await get(nodeTransport(), `${server.url}/v1/x?page=2`));
  expect(answer.status).toBe(429);
  expect(answer.headers.get('retry-after')).toBe('3');
  expect(answer.headers.get('Retry-After')).toBe('3');
  expect(answer.headers.get('content-type')).toBe('application/json');
  expect(answer.headers.get('x-multi')).toBe('a, b');
  expect(answer.headers.get('x-absent')).toBeNull();
  expect(answer.text).toBe('{"accept":"application/json"}');
});

it('drops a UTF-8 BOM and turns bytes that are not UTF-8 into U+FFFD, as res.text() did', async () => {
  const bodies = [Buffer.from('\uFEFF{"a":"é"}', 'utf8'), Buffer.from([0x7b, 0xff, 0xc3, 0x7d])];
  server = await serve((req, res) => res.end(bodies[Number(req.url?.slice(1))]));
  const transport = nodeTransport();
  expect(answerOf(await get(transport, `${server.url}/0`)).text).toBe('{"a":"é"}');
  expect(answerOf(await get(transport, `${server.url}/1`)).text).toBe('{\uFFFD\uFFFD}');
});

it('reports a refused connection as a network failure "<message> (<code>)"', async () => {
  server = await serve(() => undefined);
  const url = server.url;
  await server.close();
  server = undefined;
  const outcome = await get(nodeTransport(), `${url}/v1/x`);
  expect(outcome).toEqual({
    ok: false,
    kind: 'network',
    detail: `connect ${url.replace('http://', '')} (ECONNREFUSED)`,
  });
});

it('sends https: URLs over TLS (an http server on the other end fails the handshake)', async () => {
  server = await serve((_req, res) => res.end('{}'));
  const outcome = await get(nodeTransport(), server.url.replace('http:', 'https:'));
  expect(outcome).toMatchObject({ ok: false, kind: 'network' });
  expect(server.requests).toBe(0);
});

it('ends a body that stalls halfway by the one timeout', async () => {
  server = await serve((_req, res) => {
    res.writeHead(200, { 'Content-Length': '100' });
    res.write('{"data":[');
  });
  const started = Date.now();
  const outcome = await get(nodeTransport(), server.url, { timeoutMs: 150 });
  expect(outcome).toEqual({ ok: false, kind: 'timeout', detail: 'no complete answer within 150 ms' });
  expect(Date.now() - started).toBeLessThan(1000);
});

it('fails a connection closed mid-body as a network failure', async () => {
  server = await serve((req, res) => {
    res.writeHead(200, { 'Content-Length': '100' });
    res.write('{"data":[', () => req.socket.destroy());
  });
  const outcome = await get(nodeTransport(), server.url);
  expect(outcome).toMatchObject({ ok: false, kind: 'network' });
});

it("rethrows the operation's abort reason, mid-body included, and leaves the server's socket closed", async () => {
  let closed: Promise<void> = Promise.resolve();
  server = await serve((req, res) => {
    closed = new Promise((resolve) => req.socket.on('close', () => resolve()));
    res.writeHead(200, { 'Content-Length': '100' });
    res.write('{"data":[');
  });
  const controller = new AbortController();
  const reason = new Error('the run is over');
  setTimeout(() => controller.abort(reason), 50);
  await expect(get(nodeTransport(), server.url, { signal: controller.signal })).rejects.toBe(reason);
  await closed;
});

describe('a body over maxBodyBytes', () => {
  it('is refused unread when Content-Length says so', async () => {
    let written = 0;
    server = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Length': String(50_000_000) });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      // Writes as long as the client reads: a client that stops reading stops the writing.
      const pump = () => {
        while (written < 50_000_000 && res.write(chunk)) written += chunk.length;
        if (written < 50_000_000) res.once('drain', pump);
      };
      res.on('close', () => res.removeAllListeners('drain'));
      pump();
    });
    const outcome = await get(nodeTransport(), server.url, { maxBodyBytes: 1000 });
    expect(outcome).toMatchObject({
      ok: false,
      kind: 'too-large',
      status: 200,
      detail: 'the body is 50000000 bytes (Content-Length), over the 1000-byte limit',
    });
    expect(written).toBeLessThan(10_000_000);
  });

  it('is cut off while streaming without a Content-Length, and accepted up to the limit', async () => {
    server = await serve((req, res) => {
      const size = Number(req.url?.slice(1));
      for (let i = 0; i < size; i += 100) res.write('x'.repeat(Math.min(100, size - i)));
      res.end();
    });
    const transport = nodeTransport();
    expect(await get(transport, `${server.url}/1001`, { maxBodyBytes: 1000 })).toMatchObject({
      ok: false,
      kind: 'too-large',
      detail: 'the body ran past the 1000-byte limit',
    });
    expect(answerOf(await get(transport, `${server.url}/1000`, { maxBodyBytes: 1000 })).text).toHaveLength(1000);
  });
});

it('keeps one socket per concurrent worker across rounds (keep-alive)', async () => {
  server = await serve((_req, res) => setTimeout(() => res.end('{}'), 5));
  const transport = nodeTransport();
  const url = server.url;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let round = 0; round < 5; round++) expect(answerOf(await get(transport, url)).status).toBe(200);
    }),
  );
  expect(server.requests).toBe(40);
  expect(server.sockets.size).toBe(8);
});

it('hands a redirect on as an answer instead of following it', async () => {
  server = await serve((req, res) => {
    if (req.url !== '/elsewhere') res.writeHead(302, { Location: '/elsewhere' });
    res.end('{}');
  });
  const answer = answerOf(await get(nodeTransport(), `${server.url}/v1/x`));
  expect(answer.status).toBe(302);
  expect(answer.headers.get('location')).toBe('/elsewhere');
  expect(server.requests).toBe(1);
});

it('lets the CLI process exit as soon as its run is done (no idle socket holds it)', async () => {
  const sim = await startSimulator({ numbers: generatePortfolio({ seed: 3, size: 250 }) });
  try {
    const bin = join(__dirname, '..', '..', '..', 'bin', 'number-audit.js');
    const started = Date.now();
    const code = await new Promise<number>((resolve) => {
      execFile(
        process.execPath,
        [bin, '--base-url', sim.url, '--json'],
        { env: { ...process.env, DIALNEXA_API_KEY: sim.apiKey }, timeout: 20_000 },
        (error) => resolve(error ? Number(error.code ?? -1) : 0),
      );
    });
    expect(code).toBe(0);
    // A socket left holding the loop would keep it for the 4 s idle timeout or the server's 5 s.
    expect(Date.now() - started).toBeLessThan(3000);
  } finally {
    await sim.close();
  }
});
