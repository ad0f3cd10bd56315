// The fan-out stack (fanOut=true, a registry of three clients; docs/agencies.md) deployed into moto
// through the CloudFormation API, as deployed.aws-test.ts does with the single-function stack. What
// the emulated account holds is read back: the state machine with the template's definition, its
// role, the two functions. What moto does not model (the schedule, the alarms, the state machine's
// logging and tracing) is checked from the template, resolved against the names moto gave.
// No execution: moto's default Step Functions backend records a StartExecution without running it,
// and its opt-in executing backend neither sees state machines created through CloudFormation nor
// runs Lambda tasks without Docker. The workflow itself runs in `npm test` with
// aws-local-stepfunctions (test/infra/fan-out-execution.test.ts).
import { GetFunctionConfigurationCommand, LambdaClient } from '@aws-sdk/client-lambda';
import {
  createdAndSkipped,
  type Deployed,
  deployAssembly,
  EMULATED_ACCOUNT,
  emulatorClientConfig,
} from '../../scripts/aws/deploy';
import {
  evaluate,
  type Permissions,
  type Request,
  resolve,
  roleOf,
  rolePermissions,
  type StackNames,
  stackNames,
} from '../../scripts/aws/iam-evaluate';
import { FAN_OUT_STATES } from '../../lib/fan-out';
import { type Moto, startMoto } from '../../scripts/aws/moto';
import { FAN_OUT_WORKSPACES, fanOutAssembly } from './assembly';

const built = fanOutAssembly();
const { template, region } = built;
const TLS = { 'aws:SecureTransport': 'true' };

/** The template's resources of a type: found by type, never by logical id. */
function ofType(type: string): Array<[string, (typeof template.Resources)[string]]> {
  return Object.entries(template.Resources).filter(([, r]) => r.Type === type);
}
const [[machineId, machine]] = ofType('AWS::StepFunctions::StateMachine');
const machineRoleId = roleOf(machine, 'RoleArn');
const functionIds = ofType('AWS::Lambda::Function').map(([id]) => id);
const [[, schedule]] = ofType('AWS::Scheduler::Schedule');

let moto: Moto;
let deployed: Deployed;
let names: StackNames;
/** What moto's DescribeStateMachine answered. */
let described: { stateMachineArn: string; roleArn: string; type: string; definition: string };

/** A Step Functions API call to moto over its JSON protocol (the SDK's Step Functions client is not a dependency). */
async function stepFunctions<T>(action: string, body: object): Promise<T> {
  const res = await fetch(moto.endpoint, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.0',
      'X-Amz-Target': `AWSStepFunctions.${action}`,
      // moto routes by the signing service; it checks no signature.
      Authorization: `AWS4-HMAC-SHA256 Credential=testing/20261129/${region}/states/aws4_request, SignedHeaders=host, Signature=0`,
    },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${action}: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

beforeAll(async () => {
  moto = await startMoto();
  deployed = await deployAssembly(moto.endpoint, built);
  names = stackNames(template, deployed.resources, EMULATED_ACCOUNT, region);
  described = await stepFunctions('DescribeStateMachine', { stateMachineArn: names.arns[machineId] });
}, 60_000);

afterAll(async () => {
  await moto?.close();
});

/** Each request's decision, listed where it is not the expected one. */
async function wrongDecisions(
  perms: Permissions,
  expected: Array<{ what: string; request: Omit<Request, 'context'>; result: 'Allowed' | 'ImplicitlyDenied' }>,
): Promise<string[]> {
  const wrong: string[] = [];
  for (const { what, request, result } of expected) {
    const decision = await evaluate(perms, { ...request, context: TLS });
    if (decision.result !== result)
      wrong.push(`${what}: ${request.action} on ${request.resource} is ${decision.result}, expected ${result}`);
  }
  return wrong;
}

const arn = (service: string, resource: string) => `arn:aws:${service}:${region}:${EMULATED_ACCOUNT}:${resource}`;

describe('the fan-out template in the emulated account', () => {
  it('reaches CREATE_COMPLETE; which resources the emulator created and which it skipped', () => {
    const { rows, text } = createdAndSkipped(template, deployed);
    console.log(text);
    const created = (id: string) => rows.find((r) => r.id === id)?.created;
    // What the fan-out depends on must exist, whatever else the emulator leaves out.
    expect(functionIds).toHaveLength(2);
    for (const id of [machineId, machineRoleId, ...functionIds]) expect([id, created(id)]).toEqual([id, true]);
    const machinePolicies = ofType('AWS::IAM::Policy').filter(([, p]) =>
      ((p.Properties?.Roles ?? []) as Array<{ Ref?: string }>).some((r) => r.Ref === machineRoleId),
    );
    expect(machinePolicies.length).toBeGreaterThan(0);
    for (const [id] of machinePolicies) expect([id, created(id)]).toEqual([id, true]);
  });

  it("moto holds the state machine: the template's definition with the deployed functions, its role, STANDARD", () => {
    expect(described.stateMachineArn).toBe(names.arns[machineId]);
    expect(described.roleArn).toBe(names.arns[machineRoleId]);
    expect(described.type).toBe('STANDARD');
    const definition = JSON.parse(described.definition);
    expect(definition).toEqual(JSON.parse(String(resolve(machine.Properties?.DefinitionString, names))));
    // The registry of the context is in the plan step; the tasks call the two functions moto created.
    expect(
      definition.States[FAN_OUT_STATES.plan].Parameters.contextWorkspaces.map((w: { name: string }) => w.name),
    ).toEqual(FAN_OUT_WORKSPACES.map((w) => w.name));
    const { plan, rollUp, workspace } = tasks();
    expect(plan).toBe(rollUp);
    expect(new Set([plan, workspace])).toEqual(new Set(functionIds.map((id) => names.arns[id])));
  });

  it('logs every state to its own log group without execution data, with X-Ray tracing (from the template)', () => {
    // moto's CloudFormation creates the machine without them (DescribeStateMachine: level OFF,
    // tracing off), so the template's settings are read, with the log group moto did create.
    const logging = machine.Properties?.LoggingConfiguration;
    const [logGroupId] = logging.Destinations[0].CloudWatchLogsLogGroup.LogGroupArn['Fn::GetAtt'];
    expect(template.Resources[logGroupId].Type).toBe('AWS::Logs::LogGroup');
    // Its own group, not a function's: the functions' log groups are theirs alone.
    const functionLogGroups = functionIds.map((id) => template.Resources[id].Properties?.LoggingConfig?.LogGroup?.Ref);
    expect(functionLogGroups).not.toContain(logGroupId);
    expect(resolve(logging, names)).toEqual({
      Level: 'ALL',
      IncludeExecutionData: false,
      Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: names.arns[logGroupId] } }],
    });
    expect(machine.Properties?.TracingConfiguration).toEqual({ Enabled: true });
  });

  it('moto holds both functions as the template describes them: handler, runtime, their own roles', async () => {
    const lambda = new LambdaClient(emulatorClientConfig(moto.endpoint, region));
    for (const id of functionIds) {
      const declared = template.Resources[id].Properties ?? {};
      const config = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: names.refs[id] }));
      expect([id, config.Handler, config.Runtime, config.Role]).toEqual([
        id,
        declared.Handler,
        declared.Runtime,
        names.arns[roleOf(template.Resources[id], 'Role')],
      ]);
    }
  });

  it("the state machine's role may invoke exactly the two functions, deliver logs, trace, and run its own Map", async () => {
    const perms = rolePermissions(template, names, machineRoleId);
    const { plan, workspace } = tasks();
    const name = described.stateMachineArn.split(':')[6];
    // biome-ignore format: one line per call
    const expected = [
      ...[plan, workspace].map((fn) => ({ what: 'invoke a task of the definition', request: { action: 'lambda:InvokeFunction', resource: fn }, result: 'Allowed' as const })),
      ...['CreateLogDelivery', 'GetLogDelivery', 'UpdateLogDelivery', 'DeleteLogDelivery', 'ListLogDeliveries', 'PutResourcePolicy', 'DescribeResourcePolicies', 'DescribeLogGroups'].map((a) => ({ what: 'deliver its execution log (no narrower resource exists)', request: { action: `logs:${a}`, resource: '*' }, result: 'Allowed' as const })),
      ...['PutTraceSegments', 'PutTelemetryRecords', 'GetSamplingRules', 'GetSamplingTargets'].map((a) => ({ what: 'X-Ray tracing', request: { action: `xray:${a}`, resource: '*' }, result: 'Allowed' as const })),
      { what: 'the Distributed Map starts its child executions', request: { action: 'states:StartExecution', resource: described.stateMachineArn }, result: 'Allowed' as const },
      { what: 'the Distributed Map stops its child executions', request: { action: 'states:StopExecution', resource: arn('states', `execution:${name}:child-1`) }, result: 'Allowed' as const },
      { what: 'invoke another function of the account', request: { action: 'lambda:InvokeFunction', resource: arn('lambda', 'function:someone-elses') }, result: 'ImplicitlyDenied' as const },
      { what: 'change a task\'s code', request: { action: 'lambda:UpdateFunctionCode', resource: workspace }, result: 'ImplicitlyDenied' as const },
      { what: 'start another state machine', request: { action: 'states:StartExecution', resource: arn('states', 'stateMachine:someone-elses') }, result: 'ImplicitlyDenied' as const },
      { what: 'stop another state machine\'s execution', request: { action: 'states:StopExecution', resource: arn('states', 'execution:someone-elses:run') }, result: 'ImplicitlyDenied' as const },
      { what: 'read a client\'s key (only the workspace task may)', request: { action: 'secretsmanager:GetSecretValue', resource: arn('secretsmanager', `secret:${FAN_OUT_WORKSPACES[0].secretId}-AbCdEf`) }, result: 'ImplicitlyDenied' as const },
      { what: 'read the registry (only the plan step\'s function may)', request: { action: 's3:GetObject', resource: `arn:aws:s3:::${bucketName()}/config/workspaces.json` }, result: 'ImplicitlyDenied' as const },
      { what: 'send email', request: { action: 'ses:SendRawEmail', resource: arn('ses', 'identity/example.com') }, result: 'ImplicitlyDenied' as const },
    ];
    expect(await wrongDecisions(perms, expected)).toEqual([]);
    // Exactly the two functions (and, as aws-cdk-lib grants them, their versions): nothing else is invokable.
    const invokable = perms.identityPolicies.flatMap((p) =>
      (p.policy.Statement as Array<{ Action: string | string[]; Resource: string | string[] }>)
        .filter((s) => [s.Action].flat().some((a) => a.startsWith('lambda:')))
        .flatMap((s) => [s.Resource].flat()),
    );
    expect(new Set(invokable)).toEqual(new Set([plan, workspace].flatMap((fn) => [fn, `${fn}:*`])));
  });
});

describe('the schedule and the alarm (moto skips both: read from the template, resolved against the account)', () => {
  it('the schedule starts the deployed state machine with a role that may start it and nothing else', async () => {
    const target = resolve(schedule.Properties?.Target, names) as { Arn: string; RoleArn: string; Input: string };
    expect(target.Arn).toBe(described.stateMachineArn);
    const schedulerRoleId = roleOf({ Type: 'target', Properties: schedule.Properties?.Target }, 'RoleArn');
    expect(target.RoleArn).toBe(names.arns[schedulerRoleId]);
    // What the plan step accepts from the schedule.
    expect(Object.keys(JSON.parse(target.Input)).sort()).toEqual(['scheduleArn', 'scheduledTime']);
    const perms = rolePermissions(template, names, schedulerRoleId);
    const { plan, workspace } = tasks();
    // biome-ignore format: one line per call
    const expected = [
      { what: 'start the fan-out', request: { action: 'states:StartExecution', resource: described.stateMachineArn }, result: 'Allowed' as const },
      { what: 'start another state machine', request: { action: 'states:StartExecution', resource: arn('states', 'stateMachine:someone-elses') }, result: 'ImplicitlyDenied' as const },
      { what: 'run it synchronously', request: { action: 'states:StartSyncExecution', resource: described.stateMachineArn }, result: 'ImplicitlyDenied' as const },
      { what: 'stop its executions', request: { action: 'states:StopExecution', resource: arn('states', `execution:${described.stateMachineArn.split(':')[6]}:run`) }, result: 'ImplicitlyDenied' as const },
      { what: 'invoke the plan step directly', request: { action: 'lambda:InvokeFunction', resource: plan }, result: 'ImplicitlyDenied' as const },
      { what: 'invoke the workspace task directly', request: { action: 'lambda:InvokeFunction', resource: workspace }, result: 'ImplicitlyDenied' as const },
    ];
    expect(await wrongDecisions(perms, expected)).toEqual([]);
  });

  it('an alarm watches failed executions of the deployed state machine and acts on the alarm topic', () => {
    const alarms = ofType('AWS::CloudWatch::Alarm')
      .filter(([, a]) => a.Properties?.Namespace === 'AWS/States')
      .map(([, a]) => resolve(a.Properties, names));
    const [[topicId]] = ofType('AWS::SNS::Topic');
    expect(alarms).toEqual([
      expect.objectContaining({
        MetricName: 'ExecutionsFailed',
        Dimensions: [{ Name: 'StateMachineArn', Value: described.stateMachineArn }],
        Threshold: 1,
        AlarmActions: [names.refs[topicId]],
      }),
    ]);
  });
});

function bucketName(): string {
  const [[bucketId]] = ofType('AWS::S3::Bucket');
  return names.refs[bucketId];
}

/** The function each Task state of the deployed definition invokes, by the state names lib/fan-out.ts gives. */
function tasks(): { plan: string; rollUp: string; workspace: string } {
  type State = { Resource: string; ItemProcessor: { States: Record<string, State> } };
  const { States } = JSON.parse(described.definition) as { States: Record<string, State> };
  return {
    plan: States[FAN_OUT_STATES.plan].Resource,
    rollUp: States[FAN_OUT_STATES.rollUp].Resource,
    workspace: States[FAN_OUT_STATES.clients].ItemProcessor.States[FAN_OUT_STATES.audit].Resource,
  };
}
