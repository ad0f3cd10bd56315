// A stand-in for EventBridge's PutEvents on 127.0.0.1, port 0, for the tests and the bundle check:
// it records every entry and answers as EventBridge does. `mode` makes it refuse the entry (HTTP 200
// with FailedEntryCount 1, as EventBridge reports a refused entry) or fail the call (HTTP 500).
// Point an EventBridgeClient at `endpoint` (or set AWS_ENDPOINT_URL_EVENTBRIDGE) with dummy credentials.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface PutEntry {
  Source: string;
  DetailType: string;
  Detail: string;
  Resources?: string[];
  EventBusName?: string;
}

export type EventsLocalMode = 'accept' | 'refuse' | 'error';

export interface EventsLocal {
  endpoint: string;
  /** Every entry of every PutEvents call, accepted or not, in order. */
  entries: PutEntry[];
  mode: EventsLocalMode;
  close(): Promise<void>;
}

export async function startEventsLocal(): Promise<EventsLocal> {
  const state: { entries: PutEntry[]; mode: EventsLocalMode } = { entries: [], mode: 'accept' };
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify(body));
    };
    if (req.headers['x-amz-target'] !== 'AWSEvents.PutEvents') {
      reply(400, { __type: 'UnknownOperationException', message: String(req.headers['x-amz-target']) });
      return;
    }
    const { Entries = [] } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { Entries?: PutEntry[] };
    state.entries.push(...Entries);
    if (state.mode === 'error') {
      reply(500, { __type: 'InternalException', message: 'stand-in told to fail' });
    } else if (state.mode === 'refuse') {
      reply(200, {
        FailedEntryCount: Entries.length,
        Entries: Entries.map(() => ({ ErrorCode: 'InternalFailure', ErrorMessage: 'stand-in told to refuse' })),
      });
    } else {
      reply(200, { FailedEntryCount: 0, Entries: Entries.map(() => ({ EventId: randomUUID() })) });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    get entries() {
      return state.entries;
    },
    get mode() {
      return state.mode;
    },
    set mode(m: EventsLocalMode) {
      state.mode = m;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((e) => (e ? reject(e) : resolve()));
        server.closeAllConnections();
      }),
  };
}
