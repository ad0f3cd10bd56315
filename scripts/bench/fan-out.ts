// Fan-out scenario (docs/agencies.md): 200 client workspaces x 1,000 numbers behind 100 ms of API
// latency, the synthesized state machine run by aws-local-stepfunctions (its MaxConcurrency, 10)
// with the real task handlers in-process against the simulator and the S3, SES and Secrets
// Manager stand-ins. Reports the wall time against the bound and the state transitions a run
// costs (what Step Functions bills).
import { App } from 'aws-cdk-lib';
import type { Context } from 'aws-lambda';
import { FAN_OUT_KEYS } from '../../lambda/adapters/archive/layout';
import { readConfig } from '../../lib/config';
import { FAN_OUT_STATES } from '../../lib/fan-out';
import { NumberAuditStack } from '../../lib/number-audit-stack';
import { generateAgents, generatePortfolio, startSimulator } from '../../simulator';
import { startS3Local } from '../../test/infra/fixtures/s3-local';
import { startEventsLocal } from '../support/events-local';
import { startSecretsLocal } from '../support/secrets-local';
import { startSesLocal } from '../support/ses-local';
import { type Bound, concurrencyBound } from './bounds';

export const FAN_OUT_SCENARIO = { clients: 200, numbers: 1000, latencyMs: 100, pageConcurrency: 8 } as const;

export interface FanOutBench {
  clients: number;
  numbersPerClient: number;
  latencyMs: number;
  mapConcurrency: number;
  wallMs: number;
  bound: Bound;
  /** States entered, every level: what Step Functions Standard bills as state transitions. */
  transitions: number;
  /** Of which in the Map's child executions, per client. */
  transitionsPerClient: number;
  rollUpSubject: string;
}

// aws-local-stepfunctions 3 calls Promise.withResolvers (Node 22+).
function polyfillWithResolvers(): void {
  (Promise as unknown as { withResolvers: unknown }).withResolvers ??= <T>() => {
    let resolve: (value: T) => void = () => undefined;
    let reject: (reason?: unknown) => void = () => undefined;
    const promise = new Promise<T>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };
}

function fanOutTemplate(): { definition: Record<string, unknown>; env: Record<string, string> } {
  const app = new App({
    context: {
      ...require('../../cdk.json').context,
      recipients: 'ops@example.com',
      sender: 'audit@example.com',
      fanOut: true,
      'aws:cdk:bundling-stacks': [],
    },
  });
  const stack = new NumberAuditStack(app, 'NumberAudit', { config: readConfig(app) });
  const resources = Object.values(app.synth().getStackByName(stack.stackName).template.Resources) as Array<{
    Type: string;
    Properties: Record<string, unknown>;
  }>;
  const join = (v: unknown): string => {
    if (typeof v === 'string') return v;
    const o = v as Record<string, unknown>;
    if ('Fn::Join' in o) return (o['Fn::Join'] as [string, unknown[]])[1].map(join).join('');
    return 'arn:aws:lambda:eu-west-1:123456789012:function:f';
  };
  const machine = resources.find((r) => r.Type === 'AWS::StepFunctions::StateMachine');
  const fn = resources.find((r) => r.Type === 'AWS::Lambda::Function');
  if (machine === undefined || fn === undefined) throw new Error('fanOut: true synthesized no state machine');
  return {
    definition: JSON.parse(join(machine.Properties.DefinitionString)),
    env: (fn.Properties.Environment as { Variables: Record<string, string> }).Variables,
  };
}

export async function runFanOutBench(): Promise<FanOutBench> {
  polyfillWithResolvers();
  const { clients, numbers, latencyMs, pageConcurrency } = FAN_OUT_SCENARIO;
  const { definition, env } = fanOutTemplate();
  const agents = generateAgents(3, 5);
  const sim = await startSimulator({
    numbers: generatePortfolio({ seed: 3, size: numbers, variants: 'canonical', agentIds: agents.map((a) => a.id) }),
    agents,
    latencyMs,
  });
  const s3 = await startS3Local('number-audit-bench');
  const ses = await startSesLocal();
  // The roll-up puts the run event: on a stand-in, never on AWS.
  const events = await startEventsLocal();
  const names = Array.from({ length: clients }, (_, i) => `number-audit/client-${i}`);
  const secrets = await startSecretsLocal(
    Object.fromEntries(names.map((n) => [n, JSON.stringify({ apiKey: sim.apiKey })])),
  );
  const registry = names.map((secretId, i) => ({ name: `Client ${i}`, secretId }));
  s3.objects.set(FAN_OUT_KEYS.registry, { body: Buffer.from(JSON.stringify(registry)), etag: '"r"' });
  Object.assign(process.env, env, {
    ARCHIVE_BUCKET: s3.bucket,
    AWS_ENDPOINT_URL_S3: s3.endpoint,
    AWS_ENDPOINT_URL_SES: ses.endpoint,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.endpoint,
    AWS_ENDPOINT_URL_EVENTBRIDGE: events.endpoint,
    DIALNEXA_BASE_URL: sim.url,
    POWERTOOLS_LOG_LEVEL: 'ERROR',
    // 400 EMF lines would bury the figures.
    POWERTOOLS_METRICS_DISABLED: 'true',
    // Stand-ins check no signature; the SDK still wants a region and credentials to sign with.
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  });
  // Loaded after the environment is set: each creates its clients from it on first use.
  const { handler: workspaceTask } =
    require('../../lambda/handler/workspace-task') as typeof import('../../lambda/handler/workspace-task');
  const { handler: rollUpTask } =
    require('../../lambda/handler/roll-up-task') as typeof import('../../lambda/handler/roll-up-task');
  const { StateMachine } = await import('aws-local-stepfunctions');
  let n = 0;
  const ctx = () => ({ awsRequestId: `bench-${++n}`, getRemainingTimeInMillis: () => 900_000 }) as unknown as Context;
  const call = (fn: (e: never, c: Context) => Promise<unknown>) => async (input: unknown) =>
    (await fn(input as never, ctx())) as never;
  try {
    const started = performance.now();
    const execution = new StateMachine(definition as never).run(
      {
        scheduledTime: '2026-11-30T09:00:00Z',
        scheduleArn: 'arn:aws:scheduler:eu-west-1:123456789012:schedule/default/bench',
      },
      {
        context: { Execution: { Name: 'bench' } },
        overrides: {
          taskResourceLocalHandlers: {
            [FAN_OUT_STATES.plan]: call(rollUpTask),
            [FAN_OUT_STATES.audit]: call(workspaceTask),
            [FAN_OUT_STATES.rollUp]: call(rollUpTask),
            // Every Task state runs here: one without a local handler would invoke a real Lambda ARN.
            [FAN_OUT_STATES.recordFailure]: call(workspaceTask),
          },
        },
      },
    );
    let transitions = 0;
    let childTransitions = 0;
    const counting = (async () => {
      for await (const event of execution.eventLogs) {
        if (event.type === 'StateEntered') transitions += 1;
        if (event.type === 'StateEntered' && 'index' in event) childTransitions += 1;
        // Each child execution of a Distributed Map starts with a transition of its own.
        if (event.type === 'MapIterationStarted') transitions += 1;
      }
    })();
    await execution.result;
    const wallMs = Math.round(performance.now() - started);
    await counting;
    const [rollUp] = (await ses.emails()).filter((e) => e.destination.to.some((t) => t.includes('ops@example.com')));
    const mapConcurrency = Number(
      (definition.States as Record<string, { MaxConcurrency?: number }>)[FAN_OUT_STATES.clients].MaxConcurrency,
    );
    // Per client: the listing's bound, then the agents list (one more round trip); clients run
    // MaxConcurrency at a time.
    const perClient = concurrencyBound({ pages: Math.ceil(numbers / 100), latencyMs, concurrency: pageConcurrency });
    const waves = Math.ceil(clients / mapConcurrency);
    const bound: Bound = {
      ms: waves * (perClient.ms + latencyMs),
      formula: `ceil(clients/M)·(listing + L) = ${waves}·(${perClient.ms} + ${latencyMs}); listing: ${perClient.formula}`,
    };
    return {
      clients,
      numbersPerClient: numbers,
      latencyMs,
      mapConcurrency,
      wallMs,
      bound,
      transitions,
      transitionsPerClient: Math.round((childTransitions / clients) * 100) / 100,
      rollUpSubject: rollUp?.subject ?? '(no roll-up)',
    };
  } finally {
    await Promise.all([sim.close(), s3.close(), ses.close(), secrets.close(), events.close()]);
  }
}

export function renderFanOut(b: FanOutBench): string {
  return [
    `fan-out: ${b.clients} clients x ${b.numbersPerClient} numbers, ${b.latencyMs} ms latency, Map concurrency ${b.mapConcurrency}`,
    `  wall ${b.wallMs} ms; bound ${b.bound.ms} ms (${b.bound.formula}); ${(b.wallMs / b.bound.ms).toFixed(2)}x the bound`,
    `  state transitions per run: ${b.transitions} (${b.transitionsPerClient} entered per client child execution, + 1 start each)`,
    `  roll-up: ${b.rollUpSubject}`,
  ].join('\n');
}

if (require.main === module) {
  runFanOutBench()
    .then((b) => process.stdout.write(`${renderFanOut(b)}\n`))
    .catch((err: unknown) => {
      process.stderr.write(
        `fan-out bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
      );
      process.exit(2);
    });
}
