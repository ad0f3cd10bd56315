// A loopback proxy in front of the emulator that records every AWS call passing through it as the
// IAM action it would be authorized as, with the request's own parameters. The bundle cannot be
// instrumented from inside (no SDK middleware reaches it), so its endpoints point here instead.
import { createServer, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedCall {
  /** The signing name from the SigV4 credential scope: s3, secretsmanager, ses, sqs, ... */
  service: string;
  /** The operation, as IAM names it without the prefix: GetObject, GetSecretValue, SendRawEmail. */
  operation: string;
  method: string;
  /** The path and query as sent. */
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** The emulator's answer. */
  status: number;
  responseBody: string;
}

export interface RecordingProxy {
  endpoint: string;
  calls: RecordedCall[];
  close(): Promise<void>;
}

/** `route` picks the upstream endpoint for a signing name (e.g. SES to a server of its own). */
export async function startRecordingProxy(route: (service: string) => string): Promise<RecordingProxy> {
  const calls: RecordedCall[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const service = signingName(req.headers);
    const upstream = new URL(route(service));
    const up = httpRequest(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        const out: Buffer[] = [];
        answer.on('data', (c: Buffer) => out.push(c));
        answer.on('end', () => {
          const responseBody = Buffer.concat(out);
          calls.push({
            service,
            operation: operationOf(service, req.method ?? 'GET', req.url ?? '/', req.headers, body),
            method: req.method ?? 'GET',
            url: req.url ?? '/',
            headers: req.headers,
            body,
            status: answer.statusCode ?? 0,
            responseBody: responseBody.toString('utf8'),
          });
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          res.end(responseBody);
        });
      },
    );
    up.on('error', (e) => {
      res.writeHead(502);
      res.end(String(e));
    });
    up.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((e) => (e ? reject(e) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function signingName(headers: IncomingHttpHeaders): string {
  // AWS4-HMAC-SHA256 Credential=AKID/20261130/us-east-1/s3/aws4_request, ...
  const m = /Credential=[^/]+\/\d+\/[^/]+\/([^/]+)\/aws4_request/.exec(String(headers.authorization ?? ''));
  return m?.[1] ?? 'unsigned';
}

function operationOf(service: string, method: string, url: string, headers: IncomingHttpHeaders, body: Buffer): string {
  const target = headers['x-amz-target'];
  if (typeof target === 'string') return target.slice(target.lastIndexOf('.') + 1);
  if (service === 's3') return s3Operation(method, new URL(url, 'http://x'));
  const form = new URLSearchParams(body.toString('utf8'));
  return form.get('Action') ?? new URL(url, 'http://x').searchParams.get('Action') ?? `${method} ${url}`;
}

/** Path-style REST: /bucket or /bucket/key, the operation from the method and the sub-resource. */
function s3Operation(method: string, url: URL): string {
  const [, , ...key] = url.pathname.split('/');
  const hasKey = key.join('/') !== '';
  if (!hasKey) {
    if (method === 'GET') return url.searchParams.has('list-type') || url.search === '' ? 'ListBucket' : 'GetBucket';
    return `${method}Bucket`;
  }
  if (method === 'GET' || method === 'HEAD') return 'GetObject';
  if (method === 'PUT') return url.searchParams.has('uploadId') ? 'PutObject(part)' : 'PutObject';
  if (method === 'DELETE') return 'DeleteObject';
  return `${method}Object`;
}
