// The UncertainDelivery alarm's only meaningful value is 1: a send whose answer was lost, and the
// retry that then finds the run in `sending` and sends nothing. The real handler, an SES endpoint
// that drops the connection after reading the request, the S3 stand-in holding the claim.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Context } from 'aws-lambda';
import { generatePortfolio, startSimulator, type Simulator } from '../../simulator';
import { startSecretsLocal, type SecretsLocal } from '../../scripts/support/secrets-local';
import { startS3Local, type S3Local } from '../infra/fixtures/s3-local';
import { captureOutput, type CapturedOutput, type Handler } from './fixtures';

const SECRET_ID = 'number-audit/dialnexa';
const EVENT = {
  scheduledTime: '2026-11-30T03:30:00Z',
  scheduleArn: 'arn:aws:scheduler:eu-west-1:1:schedule/default/w',
};

function context(requestId: string): Context {
  return { functionName: 'number-audit', awsRequestId: requestId, getRemainingTimeInMillis: () => 120_000 } as Context;
}

/** The UncertainDelivery values of the EMF lines written so far. */
function uncertainValues(output: string): number[] {
  return output
    .split('\n')
    .filter((line) => line.includes('"_aws"') && line.includes('UncertainDelivery'))
    .map((line) => (JSON.parse(line) as { UncertainDelivery: number }).UncertainDelivery);
}

describe('UncertainDelivery', () => {
  let sim: Simulator;
  let secrets: SecretsLocal;
  let s3: S3Local;
  let ses: Server;
  let sesRequests = 0;
  let handler: Handler;
  let output: CapturedOutput;
  const savedEnv = { ...process.env };

  beforeAll(async () => {
    sim = await startSimulator({ numbers: generatePortfolio({ seed: 5, size: 30, variants: 'canonical' }) });
    secrets = await startSecretsLocal({ [SECRET_ID]: JSON.stringify({ apiKey: sim.apiKey }) });
    s3 = await startS3Local('number-audit-history-test');
    // Reads the whole SendRawEmail request, then drops the connection: the answer is lost.
    ses = createServer((req) => {
      sesRequests += 1;
      req.resume();
      req.on('end', () => req.socket.destroy());
    });
    await new Promise<void>((resolve) => ses.listen(0, '127.0.0.1', resolve));
    Object.assign(process.env, {
      DIALNEXA_SECRET_ID: SECRET_ID,
      DIALNEXA_BASE_URL: sim.url,
      REPORT_RECIPIENTS: 'ops@example.com',
      REPORT_SENDER: 'reports@example.com',
      ARCHIVE_BUCKET: s3.bucket,
      AWS_ENDPOINT_URL_S3: s3.endpoint,
      AWS_ENDPOINT_URL_SES: `http://127.0.0.1:${(ses.address() as AddressInfo).port}`,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.endpoint,
    });
    output = captureOutput();
    // Not isolateModules: the handler requires its SES adapter lazily, and that require must see
    // the same module registry (one copy of the error classes), as the single bundle does.
    jest.resetModules();
    handler = (require('../../lambda/handler/index') as typeof import('../../lambda/handler/index')).handler;
  });

  afterAll(async () => {
    output.restore();
    process.env = savedEnv;
    ses.closeAllConnections();
    await Promise.all([sim.close(), secrets.close(), s3.close(), new Promise((resolve) => ses.close(resolve))]);
  });

  it('is 1 when the answer to the send is lost, and 1 again when the retry finds the run in sending', async () => {
    await expect(handler(EVENT, context('req-1'))).rejects.toThrow(/may or may not have been sent/);
    expect(sesRequests).toBe(1);
    expect(uncertainValues(output.text)).toEqual([1]);

    // The platform retries (same request id) and the scheduler redelivers (a new one): neither sends.
    const retried = await handler(EVENT, context('req-1'));
    const redelivered = await handler(EVENT, context('req-2'));
    for (const summary of [retried, redelivered])
      expect(summary).toMatchObject({ status: 'duplicate', uncertain: true });
    expect(sesRequests).toBe(1);
    expect(uncertainValues(output.text)).toEqual([1, 1, 1]);
  });
});
