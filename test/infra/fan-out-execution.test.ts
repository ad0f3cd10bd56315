// The fan-out state machine as synthesized: its definition, read from the template, passes
// asl-validator and runs in aws-local-stepfunctions with its Lambda tasks calling the real handlers
// in-process against the DialNexa simulator and the S3, SES and Secrets Manager stand-ins.
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Template } from 'aws-cdk-lib/assertions';
import type { Context } from 'aws-lambda';
import type { RunOptions } from 'aws-local-stepfunctions';
import { parse } from 'csv-parse/sync';
import { FAN_OUT_KEYS } from '../../lambda/adapters/archive/layout';
import { FAN_OUT_STATES } from '../../lib/fan-out';
import { MAX_REGISTRY_ENTRIES } from '../../lambda/settings';
import { RUN_EVENT, runEventDetailSchema } from '../../lambda/handler/run-event';
import { type EventsLocal, startEventsLocal } from '../../scripts/support/events-local';
import { startSecretsLocal, type SecretsLocal } from '../../scripts/support/secrets-local';
import { startSesLocal, type SesLocal } from '../../scripts/support/ses-local';
import { generateAgents, generatePortfolio, type SimRecord, type Simulator, startSimulator } from '../../simulator';
import { startS3Local, type S3Local } from './fixtures/s3-local';
import { addStack, buildApp } from './helpers';

// aws-local-stepfunctions 3 calls Promise.withResolvers (Node 22+); Node 20 lacks it.
const withResolvers = <T>() => {
  let resolve!: (value: T | PromiseLike<T>) => void;
  let reject!: (reason?: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
};
(Promise as unknown as { withResolvers: unknown }).withResolvers ??= withResolvers;

const CLIENTS = 200;
const DENIED = 13; // its key may not read phone numbers: 403
const TIMED_OUT = 77; // Lambda times the task out
const WITH_RECIPIENTS = [3, 50, 150];
const BIG = 120; // 2,500 numbers (25 pages) behind a slow API, with a tiny simulated deadline
const BIG_SIZE = 2500;
const BIG_LATENCY_MS = 300;
/** Time each invocation of the big client may list: about one batch of pages. */
const TINY_WINDOW_MS = 500;
const SMALL = 7; // numbers in each ordinary client's workspace
const SCHEDULE_ARN = 'arn:aws:scheduler:eu-west-1:123456789012:schedule/default/NumberAudit-weekly';

const clientName = (i: number) => `Client ${String(i).padStart(3, '0')}`;
const secretOf = (i: number) => `number-audit/client-${i}`;

/** Fn::Join / Fn::GetAtt / Ref resolved to the strings a deployed stack would have. */
function resolve(value: unknown): string {
  if (typeof value === 'string') return value;
  const o = value as Record<string, unknown>;
  if ('Fn::Join' in o) {
    const [sep, parts] = o['Fn::Join'] as [string, unknown[]];
    return parts.map(resolve).join(sep);
  }
  if ('Fn::GetAtt' in o) return `arn:aws:lambda:eu-west-1:123456789012:function:${(o['Fn::GetAtt'] as string[])[0]}`;
  if ('Ref' in o) return o.Ref === 'AWS::Partition' ? 'aws' : String(o.Ref);
  throw new Error(`unexpected intrinsic ${JSON.stringify(o)}`);
}

/** Keys that reach a simulator as its own key, with every total taken out of its pages. */
const NO_TOTAL_KEYS: Record<string, string> = { dnx_small_nototal: 'dnx_small', dnx_big_nototal: 'dnx_big' };

/** A page of numbers without `total` / `totalPages`, in either envelope. */
function withoutTotal(body: string): string {
  const page = JSON.parse(body) as { total?: number; meta?: { total?: number; totalPages?: number } };
  delete page.total;
  delete page.meta?.total;
  delete page.meta?.totalPages;
  return JSON.stringify(page);
}

/**
 * One loopback address in front of two simulators, chosen by API key (the small and the big
 * workspace); the NO_TOTAL_KEYS reach them as a DialNexa that reports no total.
 */
async function startKeyRouter(byKey: (key: string) => Simulator): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const key = String(req.headers.authorization ?? '').replace(/^Bearer\s+/i, '');
    const real = NO_TOTAL_KEYS[key];
    const target = new URL(byKey(real ?? key).url);
    const headers = real ? { ...req.headers, authorization: `Bearer ${real}` } : req.headers;
    const out = request(
      { host: target.hostname, port: target.port, path: req.url, method: req.method, headers },
      (answer) => {
        const rewrite = real !== undefined && answer.statusCode === 200 && req.url?.includes('phone-numbers');
        if (!rewrite) {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
          return;
        }
        const chunks: Buffer[] = [];
        answer.on('data', (c: Buffer) => chunks.push(c));
        answer.on('end', () => {
          const body = withoutTotal(Buffer.concat(chunks).toString('utf8'));
          res.writeHead(200, { ...answer.headers, 'content-length': Buffer.byteLength(body) });
          res.end(body);
        });
      },
    );
    req.pipe(out);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/** A handler as aws-local-stepfunctions calls it: JSON in, JSON out (the type it does not export). */
type JSONValue = Parameters<NonNullable<NonNullable<RunOptions['overrides']>['taskResourceLocalHandlers']>[string]>[0];
const local =
  (fn: (event: unknown) => Promise<unknown>) =>
  async (input: JSONValue): Promise<JSONValue> =>
    (await fn(input)) as JSONValue;

/** An independent reading of the unrouted rule on canonical records: active, no inbound agent. */
function unroutedIn(records: SimRecord[]): number {
  return records.filter((r) => (r.status ?? 'active') === 'active' && !r.inbound_agent_id).length;
}

let requestCount = 0;
function lambdaContext(remainingMs: number): Context {
  requestCount += 1;
  return { awsRequestId: `req-${requestCount}`, getRemainingTimeInMillis: () => remainingMs } as unknown as Context;
}

describe('the fan-out state machine', () => {
  const template = Template.fromStack(addStack(buildApp({ fanOut: true, timeZone: 'Europe/London' })));
  const [machine] = Object.values(template.findResources('AWS::StepFunctions::StateMachine'));
  const definition = JSON.parse(resolve(machine.Properties.DefinitionString));
  const functions = Object.values(template.findResources('AWS::Lambda::Function'));

  let small: Simulator;
  let big: Simulator;
  const bigContinuations: number[] = [];
  let router: { url: string; server: Server };
  let s3: S3Local;
  let ses: SesLocal;
  let secrets: SecretsLocal;
  let events: EventsLocal;
  let workspaceTask: typeof import('../../lambda/handler/workspace-task').handler;
  let rollUpTask: typeof import('../../lambda/handler/roll-up-task').handler;
  const savedEnv = { ...process.env };
  const writes: jest.SpyInstance[] = [];
  let inventory: SimRecord[];

  beforeAll(async () => {
    const agents = generateAgents(5, 3);
    inventory = generatePortfolio({
      seed: 5,
      size: SMALL,
      variants: 'canonical',
      unroutedRatio: 0.3,
      agentIds: agents.map((a) => a.id),
    });
    small = await startSimulator({
      numbers: inventory,
      agents,
      keys: { dnx_small: 'full', dnx_denied: 'no-phone-numbers' },
    });
    big = await startSimulator({
      numbers: generatePortfolio({ seed: 9, size: BIG_SIZE, variants: 'canonical', agentIds: agents.map((a) => a.id) }),
      agents,
      keys: { dnx_big: 'full' },
      latencyMs: BIG_LATENCY_MS,
    });
    router = await startKeyRouter((key) => (key === 'dnx_big' ? big : small));
    // Pages smaller than S3's 1,000 keys: the roll-up must follow the continuation tokens.
    s3 = await startS3Local('number-audit-fan-out-test', { pageSize: 50 });
    ses = await startSesLocal();
    events = await startEventsLocal();
    const keys: Record<string, string> = {};
    for (let i = 0; i < CLIENTS; i++) {
      const key = i === DENIED ? 'dnx_denied' : i === BIG ? 'dnx_big' : 'dnx_small';
      keys[secretOf(i)] = JSON.stringify({ apiKey: key });
    }
    for (const key of Object.keys(NO_TOTAL_KEYS)) keys[`number-audit/${key}`] = JSON.stringify({ apiKey: key });
    secrets = await startSecretsLocal(keys);
    const registry = Array.from({ length: CLIENTS }, (_, i) => ({
      name: clientName(i),
      secretId: secretOf(i),
      ...(WITH_RECIPIENTS.includes(i) ? { recipients: [`client${i}@example.com`] } : {}),
    }));
    s3.objects.set(FAN_OUT_KEYS.registry, { body: Buffer.from(JSON.stringify(registry)), etag: '"registry"' });

    // Exactly what the template gives both fan-out functions, plus what Lambda and the stand-ins provide.
    const env = functions[0].Properties.Environment.Variables as Record<string, string>;
    expect(functions.map((f) => f.Properties.Environment.Variables)).toEqual(functions.map(() => env));
    Object.assign(process.env, env, {
      ARCHIVE_BUCKET: s3.bucket,
      AWS_ENDPOINT_URL_S3: s3.endpoint,
      AWS_ENDPOINT_URL_SES: ses.endpoint,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.endpoint,
      AWS_ENDPOINT_URL_EVENTBRIDGE: events.endpoint,
      DIALNEXA_BASE_URL: router.url,
    });
    for (const stream of [process.stdout, process.stderr]) {
      writes.push(jest.spyOn(stream, 'write').mockImplementation(() => true));
    }
    jest.isolateModules(() => {
      workspaceTask = require('../../lambda/handler/workspace-task').handler;
      rollUpTask = require('../../lambda/handler/roll-up-task').handler;
    });
  });

  afterAll(async () => {
    for (const w of writes) w.mockRestore();
    process.env = savedEnv;
    await new Promise((done) => router.server.close(done));
    await Promise.all([small.close(), big.close(), s3.close(), ses.close(), secrets.close(), events.close()]);
  });

  it('passes asl-validator', async () => {
    // asl-validator ships no types: its documented call, typed here.
    const aslValidator = require('asl-validator') as (
      definition: unknown,
      options: { checkPaths: boolean; checkArn: boolean },
    ) => { isValid: boolean; errorsText: (separator: string) => string };
    const { isValid, errorsText } = aslValidator(definition, { checkPaths: true, checkArn: true });
    expect(errorsText('\n')).toBe('');
    expect(isValid).toBe(true);
    expect(definition.States[FAN_OUT_STATES.clients]).toMatchObject({
      Type: 'Map',
      ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' } },
      MaxConcurrency: 10,
      ToleratedFailurePercentage: 100,
    });
  });

  /** Clients (by index) listed with a short window (ms), so their listings continue over several invocations. */
  async function execute(
    input: { [key: string]: string },
    name: string,
    slow: Record<number, number> = { [BIG]: TINY_WINDOW_MS },
  ) {
    const { StateMachine } = await import('aws-local-stepfunctions');
    const machineRun = new StateMachine(definition).run(input, {
      context: { Execution: { Name: name } },
      overrides: {
        taskResourceLocalHandlers: {
          [FAN_OUT_STATES.plan]: local((event) => rollUpTask(event as never, lambdaContext(120_000))),
          [FAN_OUT_STATES.rollUp]: local((event) => rollUpTask(event as never, lambdaContext(120_000))),
          [FAN_OUT_STATES.recordFailure]: local((event) => workspaceTask(event, lambdaContext(120_000))),
          [FAN_OUT_STATES.audit]: local(async (event) => {
            // The registry holds client i at index i.
            const { index, continuations } = event as { index: number; continuations: number };
            if (index === TIMED_OUT) {
              // What Step Functions receives when Lambda ends an invocation at its timeout.
              throw Object.assign(new Error('Task timed out after 900.00 seconds'), { name: 'Sandbox.Timedout' });
            }
            const window = slow[index];
            if (window === undefined) return workspaceTask(event, lambdaContext(120_000));
            if (index === BIG) bigContinuations.push(continuations);
            return workspaceTask(event, lambdaContext(Number(process.env.RUN_DEADLINE_MARGIN_MS) + window));
          }),
        },
      },
    });
    return machineRun.result;
  }

  it('audits 200 clients, emails the ones with recipients, and sends one roll-up; a redelivery sends nothing', async () => {
    const input = { scheduledTime: '2026-11-30T09:00:00Z', scheduleArn: SCHEDULE_ARN };
    const result = await execute(input, 'weekly-1');
    expect(result).toMatchObject({ status: 'sent', clients: CLIENTS, failed: 2 });

    const emails = await ses.emails();
    const toAgency = (e: (typeof emails)[number]) => e.destination.to.some((to) => to.includes('ops@example.com'));
    const rollUp = emails.filter(toAgency);
    expect(rollUp).toHaveLength(1);
    const own = emails.filter((e) => !toAgency(e));
    expect(own.map((e) => e.destination.to).sort()).toEqual(
      WITH_RECIPIENTS.map((i) => [`client${i}@example.com`]).sort(),
    );

    // The big client's listing went on over several invocations, each from the checkpoint of the last.
    expect(bigContinuations.length).toBeGreaterThanOrEqual(4);
    expect(bigContinuations).toEqual(bigContinuations.map((_, i) => i));

    const [mail] = rollUp;
    const audited = CLIENTS - 2;
    const numbers = (audited - 1) * SMALL + BIG_SIZE;
    const unrouted = unroutedIn(inventory);
    const unroutedTotal = (audited - 1) * unrouted + unroutedIn(big.inventory());
    expect(mail.subject).toContain(`${CLIENTS} clients, ${numbers.toLocaleString('en-US')} numbers`);
    expect(mail.subject).toContain('2 failed');
    expect(unrouted).toBeGreaterThan(0);
    expect(mail.subject).toMatch(/^\[Action needed\] /);
    const text = mail.body.text ?? '';
    const rows = text.split('\n').filter((l) => / \| /.test(l));
    // Failed clients first, each with what failed.
    expect(rows[1]).toMatch(new RegExp(`^${clientName(DENIED)} \\| FAILED \\|.*phone.numbers`));
    expect(rows[2]).toMatch(new RegExp(`^${clientName(TIMED_OUT)} \\| FAILED \\|.*timed out`));
    expect(rows.at(-1)).toBe(
      `Total | ${audited} of ${CLIENTS} audited | ${numbers.toLocaleString('en-US')} | ${unroutedTotal.toLocaleString('en-US')} | 0 | ${rows.at(-1)?.split(' | ')[5]} |  | `,
    );
    // The combined CSV: every audited client's numbers, each row naming its workspace.
    const [attachment] = mail.attachments;
    const csv = parse(Buffer.from(attachment.content, 'base64').toString('utf8'), { bom: true }) as string[][];
    const workspaceColumn = csv[0].indexOf('workspace');
    expect(csv.length - 1).toBe(numbers);
    expect(rows.find((r) => r.startsWith(clientName(BIG)))).toMatch(/^Client 120 \| OK \| 2,500 \| /);
    expect(new Set(csv.slice(1).map((r) => r[workspaceColumn])).size).toBe(audited);

    // One run event for the execution, in the single function's schema: a row per client.
    expect(events.entries).toHaveLength(1);
    const [event] = events.entries;
    expect(event).toMatchObject({ Source: RUN_EVENT.source, DetailType: RUN_EVENT.detailType.incomplete });
    const detail = runEventDetailSchema.parse(JSON.parse(event.Detail));
    expect(detail).toMatchObject({
      status: 'incomplete',
      scheduledTime: '2026-11-30T09:00:00.000Z',
      workspace: null,
      failedWorkspaces: 2,
      total: numbers,
      unroutedCount: unroutedTotal,
      actionNeeded: true,
      triggers: expect.arrayContaining(['unrouted', 'failedWorkspaces']),
    });
    if (detail.status === 'failed') throw new Error('a sent roll-up is not a failed run');
    expect(detail.workspaces).toHaveLength(CLIENTS);
    expect(detail.workspaces.find((w) => w.name === clientName(DENIED))).toEqual({
      name: clientName(DENIED),
      ok: false,
      errorCode: 'PERMISSION',
    });
    expect(detail.workspaces.find((w) => w.name === clientName(BIG))).toMatchObject({ ok: true, total: BIG_SIZE });

    // The same schedule time again: nothing listed, nothing sent.
    const requestsBefore = small.requests.length;
    await ses.clear();
    const again = await execute(input, 'weekly-1-redelivered');
    expect(again).toMatchObject({ plan: { skip: true } });
    expect(await ses.emails()).toHaveLength(0);
    expect(small.requests.length).toBe(requestsBefore);
    expect(events.entries).toHaveLength(1);
  });

  it('publishes a failed-run event when the roll-up fails', async () => {
    const before = events.entries.length;
    const input = { scheduledTime: '2026-12-14T09:00:00Z', scheduleArn: SCHEDULE_ARN };
    // A run key the plan step never wrote a registry copy for.
    const event = { phase: 'roll-up', runKey: 'execution-never-planned', rollUp: true, input } as const;
    await expect(rollUpTask(event, lambdaContext(120_000))).rejects.toThrow(/registry.json/);
    expect(events.entries.slice(before)).toHaveLength(1);
    const entry = events.entries[before];
    expect(entry.DetailType).toBe(RUN_EVENT.detailType.failed);
    expect(runEventDetailSchema.parse(JSON.parse(entry.Detail))).toMatchObject({
      status: 'failed',
      errorType: 'ConfigError',
      scheduledTime: '2026-12-14T09:00:00.000Z',
    });
  });

  it('lists a client whose task left no summary as failed', async () => {
    const registry = [0, 1, 2].map((i) => ({ name: clientName(i), secretId: secretOf(i) }));
    s3.objects.set(FAN_OUT_KEYS.registry, { body: Buffer.from(JSON.stringify(registry)), etag: '"three"' });
    const plan = (await rollUpTask(
      { phase: 'plan', executionName: 'console-3', input: {} },
      lambdaContext(120_000),
    )) as {
      runKey: string;
      registryVersion: string;
    };
    // Only the first client's task ran; the other two died before writing anything.
    await workspaceTask({ ...plan, index: 0, continuations: 0 }, lambdaContext(120_000));
    await ses.clear();
    const result = await rollUpTask({ phase: 'roll-up', runKey: plan.runKey, rollUp: true }, lambdaContext(120_000));
    expect(result).toMatchObject({ status: 'sent', clients: 3, failed: 2 });
    const [mail] = await ses.emails();
    const rows = (mail.body.text ?? '').split('\n').filter((l) => / \| /.test(l));
    for (const i of [1, 2]) {
      expect(rows.find((r) => r.startsWith(clientName(i)))).toMatch(/FAILED .*without leaving its summary/);
    }
    expect(rows.find((r) => r.startsWith(clientName(0)))).toMatch(/ \| OK \| /);
  });

  it('verifies a count DialNexa gives no total for by listing twice, and says a continued one is unverified', async () => {
    const registry = [
      { name: 'No Total Small', secretId: 'number-audit/dnx_small_nototal' },
      { name: 'No Total Big', secretId: 'number-audit/dnx_big_nototal' },
    ];
    s3.objects.set(FAN_OUT_KEYS.registry, { body: Buffer.from(JSON.stringify(registry)), etag: '"no-total"' });
    const smallPagesBefore = small.requests.filter((r) => r.path.includes('phone-numbers')).length;
    // Without a total the pages come one at a time (nothing says how many there are): a wider window.
    const result = await execute({}, 'console-no-total', { 1: 5 * TINY_WINDOW_MS });
    expect(result).toMatchObject({ status: 'sent', clients: 2, failed: 0 });
    const auditOf = (slug: string) => {
      const key = [...s3.objects.keys()].find((k) => k.startsWith(`reports/${slug}/`) && k.endsWith('/audit.json'));
      if (key === undefined) throw new Error(`no audit.json for ${slug}`);
      return JSON.parse(s3.objects.get(key)?.body.toString('utf8') ?? '');
    };
    // Listed within one invocation: a second listing found the same numbers.
    expect(auditOf('no-total-small')).toMatchObject({ verified: true });
    expect(small.requests.filter((r) => r.path.includes('phone-numbers')).length - smallPagesBefore).toBe(2);
    // Listed over several invocations: complete, and it says that nothing verified the count.
    expect(auditOf('no-total-big')).toMatchObject({
      verified: false,
      unverifiedReason: expect.stringMatching(/no total.*invocations/),
    });
  });

  it('plans a 10,000-client registry with every state payload under 256 KiB', async () => {
    const registry = Array.from({ length: MAX_REGISTRY_ENTRIES }, (_, i) => ({
      // The longest names the registry may hold, so the measure is the worst case.
      name: `${String(i).padStart(5, '0')} ${'x'.repeat(94)}`,
      secretId: `number-audit/${'k'.repeat(400)}-${i}`,
      recipients: ['a-long-recipient-address@example.com'],
    }));
    s3.objects.set(FAN_OUT_KEYS.registry, { body: Buffer.from(JSON.stringify(registry)), etag: '"big"' });
    const audited: number[] = [];
    let rollUpInput: unknown;
    const { StateMachine } = await import('aws-local-stepfunctions');
    const machineRun = new StateMachine(definition).run(
      { scheduledTime: '2026-12-07T09:00:00Z', scheduleArn: SCHEDULE_ARN },
      {
        context: { Execution: { Name: 'weekly-10k' } },
        overrides: {
          taskResourceLocalHandlers: {
            [FAN_OUT_STATES.plan]: local((event) => rollUpTask(event as never, lambdaContext(120_000))),
            // What the tasks return, without auditing 10,000 workspaces.
            [FAN_OUT_STATES.audit]: local(async (event) => {
              const { index } = event as { index: number };
              audited.push(index);
              return { ...(event as object), status: 'done', outcome: 'ok' };
            }),
            [FAN_OUT_STATES.rollUp]: local(async (event) => {
              rollUpInput = event;
              return { status: 'sent', clients: MAX_REGISTRY_ENTRIES, failed: 0 };
            }),
            // Every Task state runs here: one without a local handler would invoke a real Lambda ARN.
            [FAN_OUT_STATES.recordFailure]: local(async () => {
              throw new Error('no client fails in this run');
            }),
          },
        },
      },
    );
    let largest = { bytes: 0, state: '' };
    for await (const e of machineRun.eventLogs) {
      if (!('state' in e)) continue;
      for (const payload of [e.state.input, e.state.output]) {
        const bytes = Buffer.byteLength(JSON.stringify(payload ?? null));
        if (bytes > largest.bytes) largest = { bytes, state: `${e.type} ${e.state.name}` };
      }
    }
    await machineRun.result;
    expect(audited.sort((a, b) => a - b)).toEqual(registry.map((_, i) => i));
    expect(rollUpInput).toEqual({
      phase: 'roll-up',
      runKey: expect.any(String),
      rollUp: true,
      input: expect.any(Object),
    });
    expect(largest.bytes).toBeLessThan(256 * 1024);
  });
});
