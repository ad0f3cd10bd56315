// The SES emulator (aws-ses-v2-local) started in-process on 127.0.0.1, port 0: a local stand-in
// used by the demo, the browser check and the tests; never part of the Lambda bundle.
// Point an SESClient at `endpoint` (or set AWS_ENDPOINT_URL_SES) with any dummy credentials.
// Its store is module-global: one per process (per jest test file, as jest isolates modules per
// file), shared by every server started there. Call clear() between tests that count emails.
import type { AddressInfo } from 'node:net';
import sesLocal from 'aws-ses-v2-local';

/** One message as the emulator parsed it (mailparser), as served by GET /store. */
export interface StoredEmail {
  messageId: string;
  from: string;
  replyTo: string[];
  destination: { to: string[]; cc: string[]; bcc: string[] };
  subject: string;
  body: { html?: string; text?: string };
  /** `content` is base64 of the decoded attachment bytes. */
  attachments: { content: string; contentType: string; filename?: string; size: number }[];
  /** Epoch seconds. */
  at: number;
}

export interface SesLocal {
  /** e.g. `http://127.0.0.1:41234` */
  endpoint: string;
  emails(): Promise<StoredEmail[]>;
  clear(): Promise<void>;
  close(): Promise<void>;
}

export async function startSesLocal(): Promise<SesLocal> {
  const server = await sesLocal({ host: '127.0.0.1', port: 0 });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    async emails() {
      const res = await fetch(`${endpoint}/store`);
      if (!res.ok) throw new Error(`SES emulator /store answered ${res.status}`);
      return ((await res.json()) as { emails: StoredEmail[] }).emails;
    },
    async clear() {
      const res = await fetch(`${endpoint}/clear-store`, { method: 'POST' });
      if (!res.ok) throw new Error(`SES emulator /clear-store answered ${res.status}`);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // Keep-alive sockets from SDK clients would otherwise hold close() open.
        server.closeAllConnections();
      }),
  };
}
