import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  ConfigurationSetDoesNotExistException,
  MailFromDomainNotVerifiedException,
  MessageRejected,
  SESClient,
  SendRawEmailCommand,
} from '@aws-sdk/client-ses';
import { mockClient } from 'aws-sdk-client-mock';
import { buildMime, csvAttachments } from '../../../lambda/adapters/email/mime';
import { createSesClient, SesRawMailer, toDeliveryError } from '../../../lambda/adapters/ses/ses-mailer';
import { DeliveryError, DeliveryUncertainError } from '../../../lambda/core/errors';
import { startSesLocal, type SesLocal } from '../../../scripts/support/ses-local';

const FROM = 'audit@example.com';
const TO = ['ops@example.com', 'finance@example.com'];
const CSV = Buffer.from('id,phone_number\nn1,+14155550100\n');
// SES answered: a 4xx with an error name. Only such an answer proves nothing was sent.
const meta = { $metadata: { httpStatusCode: 400 } };

async function rawReport(): Promise<Buffer> {
  return buildMime(
    {
      from: `Number Audit <${FROM}>`,
      to: TO,
      subject: 'Number audit: 1 number, 0 unrouted – ✓',
      text: 'Total: 1',
      html: '<h1>Total: 1</h1>',
      attachments: await csvAttachments('csv', 'phone-numbers.csv', CSV),
    },
    { date: new Date('2025-03-03T07:00:00Z') },
  );
}

describe('SesRawMailer against the SES emulator', () => {
  let ses: SesLocal;
  let client: SESClient;

  beforeAll(async () => {
    ses = await startSesLocal();
    client = new SESClient({ endpoint: ses.endpoint, region: 'us-east-1', maxAttempts: 1 });
  });
  afterAll(async () => {
    client.destroy();
    await ses.close();
  });

  it('delivers subject, text, html and the CSV attachment, and returns the SES message id', async () => {
    const { messageId } = await new SesRawMailer({ client, configurationSetName: 'number-audit' }).sendRaw(
      await rawReport(),
      { from: FROM, to: TO },
    );
    const emails = await ses.emails();
    expect(emails).toHaveLength(1);
    const [email] = emails;
    expect(email.messageId).toBe(messageId);
    expect(email.from).toBe(`"Number Audit" <${FROM}>`);
    expect(email.destination.to).toEqual(['ops@example.com, finance@example.com']);
    expect(email.subject).toBe('Number audit: 1 number, 0 unrouted – ✓');
    expect(email.body.text?.trim()).toBe('Total: 1');
    expect(email.body.html).toBe('<h1>Total: 1</h1>');
    expect(email.attachments).toHaveLength(1);
    expect(email.attachments[0]).toMatchObject({ filename: 'phone-numbers.csv', contentType: 'text/csv' });
    expect(Buffer.from(email.attachments[0].content, 'base64').toString('utf8')).toBe(CSV.toString('utf8'));
  });

  it('clear() empties the store', async () => {
    await new SesRawMailer({ client }).sendRaw(await rawReport(), { from: FROM, to: TO });
    expect((await ses.emails()).length).toBeGreaterThan(0);
    await ses.clear();
    expect(await ses.emails()).toEqual([]);
  });
});

describe('SesRawMailer request and error mapping', () => {
  // Mock this one instance only: the emulator tests above use real SESClient instances.
  const client = new SESClient({ region: 'us-east-1' });
  const sesMock = mockClient(client);
  const raw = Buffer.from('Subject: x\r\n\r\nbody');

  afterEach(() => sesMock.reset());
  afterAll(() => sesMock.restore());

  it('sends the raw bytes, envelope and configuration set', async () => {
    sesMock.on(SendRawEmailCommand).resolves({ MessageId: 'mid-1' });
    const out = await new SesRawMailer({ client, configurationSetName: 'number-audit' }).sendRaw(raw, {
      from: FROM,
      to: TO,
    });
    expect(out).toEqual({ messageId: 'mid-1' });
    const calls = sesMock.commandCalls(SendRawEmailCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0].args[0].input).toEqual({
      RawMessage: { Data: raw },
      Source: FROM,
      Destinations: TO,
      ConfigurationSetName: 'number-audit',
    });
  });

  it('leaves ConfigurationSetName out when none is configured', async () => {
    sesMock.on(SendRawEmailCommand).resolves({ MessageId: 'mid-2' });
    await new SesRawMailer({ client }).sendRaw(raw, { from: FROM, to: TO });
    expect(sesMock.commandCalls(SendRawEmailCommand)[0].args[0].input).not.toHaveProperty('ConfigurationSetName');
  });

  it('maps MessageRejected to a DeliveryError that says which identity to verify', async () => {
    const rejected = new MessageRejected({
      message:
        'Email address is not verified. The following identities failed the check in region EU-WEST-1: audit@example.com',
      ...meta,
    });
    sesMock.on(SendRawEmailCommand).rejects(rejected);
    const err = await new SesRawMailer({ client }).sendRaw(raw, { from: FROM, to: TO }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeliveryError);
    expect((err as DeliveryError).code).toBe('DELIVERY');
    expect((err as Error).message).toMatch(
      /^SES rejected the message: Email address is not verified\. The following identities failed the check in region EU-WEST-1: audit@example\.com\. Verify the sender identity audit@example\.com in SES \(and, while the account is in the SES sandbox, every recipient\)/,
    );
    expect((err as Error).cause).toBe(rejected);
  });

  it.each([
    [
      new MailFromDomainNotVerifiedException({ message: 'MAIL FROM domain not verified', ...meta }),
      /custom MAIL FROM domain of audit@example\.com is not verified \(MAIL FROM domain not verified\)\. Publish the MX and SPF records/,
    ],
    [
      new ConfigurationSetDoesNotExistException({
        message: 'Configuration set <number-audit> does not exist.',
        ConfigurationSetName: 'number-audit',
        ...meta,
      }),
      /SES configuration set "number-audit" does not exist in this account and region \(Configuration set <number-audit> does not exist\)\. Create it/,
    ],
  ])('maps %p to an actionable DeliveryError', async (awsError, expected) => {
    sesMock.on(SendRawEmailCommand).rejects(awsError);
    const send = new SesRawMailer({ client, configurationSetName: 'number-audit' }).sendRaw(raw, {
      from: FROM,
      to: TO,
    });
    await expect(send).rejects.toThrow(DeliveryError);
    await expect(send).rejects.toThrow(expected);
  });

  it('wraps any other failure in a DeliveryError that keeps the cause', async () => {
    const throttled = Object.assign(new Error('Maximum sending rate exceeded.'), { name: 'Throttling', ...meta });
    sesMock.on(SendRawEmailCommand).rejects(throttled);
    const err = await new SesRawMailer({ client }).sendRaw(raw, { from: FROM, to: TO }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeliveryError);
    expect((err as Error).message).toBe('SES SendRawEmail failed (Throttling): Maximum sending rate exceeded');
    expect((err as Error).cause).toBe(throttled);
  });

  it.each([
    ['a dropped connection', Object.assign(new Error('socket hang up'), { name: 'Error', code: 'ECONNRESET' })],
    ['a timeout', Object.assign(new Error('Connection timed out after 60000 ms'), { name: 'TimeoutError' })],
    [
      'a 5xx answer',
      Object.assign(new Error('Service unavailable'), {
        name: 'ServiceUnavailable',
        $metadata: { httpStatusCode: 503 },
      }),
    ],
  ])('calls %s uncertain: the email may have gone out', async (_what, failure) => {
    sesMock.on(SendRawEmailCommand).rejects(failure);
    const err = await new SesRawMailer({ client }).sendRaw(raw, { from: FROM, to: TO }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeliveryUncertainError);
    expect((err as DeliveryUncertainError).code).toBe('DELIVERY_UNCERTAIN');
    expect((err as Error).message).toMatch(/may or may not have been sent/);
    expect((err as Error).cause).toBe(failure);
  });

  it('builds clients that never retry a send on their own', async () => {
    expect(await createSesClient({ region: 'eu-west-1' }).config.maxAttempts()).toBe(1);
  });

  it('fails when SES answers without a MessageId', async () => {
    sesMock.on(SendRawEmailCommand).resolves({});
    const send = new SesRawMailer({ client }).sendRaw(raw, { from: FROM, to: TO });
    // SES answered 200: not a refusal, so the claim must not be released for a resend.
    await expect(send).rejects.toBeInstanceOf(DeliveryUncertainError);
    await expect(send).rejects.toThrow(
      'SES accepted the request but returned no MessageId; the report was probably sent',
    );
  });
});

describe('SesRawMailer against an SES endpoint that never answers', () => {
  it('gives up after one timed-out attempt and says the report may have been sent', async () => {
    let requests = 0;
    const server = createServer(() => {
      requests += 1;
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const hung = createSesClient(
        { endpoint: `http://127.0.0.1:${port}`, region: 'eu-west-1' },
        { requestTimeoutMs: 150 },
      );
      const send = new SesRawMailer({ client: hung }).sendRaw(Buffer.from('raw'), { from: FROM, to: TO });
      await expect(send).rejects.toBeInstanceOf(DeliveryUncertainError);
      expect(requests).toBe(1);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('SesRawMailer when the request never leaves the machine', () => {
  it('says nothing was sent (a definite failure) when the SES endpoint refuses the connection', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve)); // the port is now closed
    const client = createSesClient({ endpoint: `http://127.0.0.1:${port}`, region: 'eu-west-1' });
    const send = new SesRawMailer({ client }).sendRaw(Buffer.from('raw'), { from: FROM, to: TO });
    await expect(send).rejects.toBeInstanceOf(DeliveryError);
    await expect(send).rejects.not.toBeInstanceOf(DeliveryUncertainError);
    await expect(send).rejects.toThrow(/nothing was sent/);
  });

  it('says nothing was sent when there are no credentials to sign with', async () => {
    const client = createSesClient({
      endpoint: 'http://127.0.0.1:9',
      region: 'eu-west-1',
      credentials: async () => {
        const error = new Error('Could not load credentials from any providers');
        error.name = 'CredentialsProviderError';
        throw error;
      },
    });
    const send = new SesRawMailer({ client }).sendRaw(Buffer.from('raw'), { from: FROM, to: TO });
    await expect(send).rejects.toThrow(/nothing was sent/);
  });
});

describe('toDeliveryError: a connection that was never made', () => {
  it('treats the connection timeout (no socket to SES yet) as nothing sent', () => {
    const timeout = Object.assign(
      new Error(
        '@smithy/node-http-handler - the request socket did not establish a connection with the server within the configured timeout of 5000 ms.',
      ),
      { name: 'TimeoutError' },
    );
    const error = toDeliveryError(timeout, FROM);
    expect(error).toBeInstanceOf(DeliveryError);
    expect(error.message).toMatch(/nothing was sent/);
  });

  it('keeps a request timeout (the request was sent, the answer never came) uncertain', () => {
    const timeout = Object.assign(new Error('request timed out after 30000 ms'), { name: 'TimeoutError' });
    expect(toDeliveryError(timeout, FROM)).toBeInstanceOf(DeliveryUncertainError);
  });
});
