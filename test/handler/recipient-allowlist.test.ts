// The deployed handler, from its module: a console event that would mail the inventory outside the
// allowed domains is refused before the function lists a single number or reads its key.
import type { Context } from 'aws-lambda';
import { generatePortfolio, startSimulator, type Simulator } from '../../simulator';

type Handler = typeof import('../../lambda/handler/index').handler;

const context = {
  functionName: 'number-audit',
  awsRequestId: 'req-allowlist',
  getRemainingTimeInMillis: () => 120_000,
} as unknown as Context;

// Nothing listens on port 9 (discard): a call to Secrets Manager or SES would fail with a network
// error, not with the refusal asserted below.
const NOWHERE = 'http://127.0.0.1:9';

describe('the handler holds console recipients to the allowed domains', () => {
  let sim: Simulator;
  let handler: Handler;
  const savedEnv = { ...process.env };

  beforeAll(async () => {
    sim = await startSimulator({ numbers: generatePortfolio({ seed: 1, size: 20 }) });
    Object.assign(process.env, {
      DIALNEXA_SECRET_ID: 'number-audit/dialnexa',
      DIALNEXA_BASE_URL: sim.url,
      REPORT_RECIPIENTS: 'ops@example.com,finance@example.com',
      REPORT_SENDER: 'reports@example.com',
      ALLOWED_RECIPIENT_DOMAINS: 'example.com,example.in',
      AWS_ENDPOINT_URL_SES: NOWHERE,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: NOWHERE,
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      POWERTOOLS_METRICS_DISABLED: 'true',
    });
    jest.isolateModules(() => {
      handler = (require('../../lambda/handler/index') as typeof import('../../lambda/handler/index')).handler;
    });
  });

  afterAll(async () => {
    process.env = savedEnv;
    await sim.close();
  });

  it.each([[['me@gmail.com']], [['ops@example.com', 'leak@example.org']]])(
    'refuses %j before any listing, naming the field and the allowed domains',
    async (recipients) => {
      const before = sim.requests.length;
      await expect(handler({ recipients }, context)).rejects.toThrow(
        /^event\.recipients: ".+" is not at one of the allowed recipient domains: example\.com, example\.in/,
      );
      expect(sim.requests.length).toBe(before);
    },
  );
});
