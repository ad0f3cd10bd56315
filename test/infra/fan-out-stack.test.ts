// Fan-out mode's resources and who may do what: the schedule starts the state machine, each
// function's role has only its step's permissions, and cdk-nag passes with reasons.
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { CloudTemplate } from '../../scripts/aws/deploy';
import { evaluate, type Permissions, type Policy, resolve, type StackNames } from '../../scripts/aws/iam-evaluate';
import { SETTINGS } from '../../lambda/settings';
import { addStack, buildApp, flat, logicalId, roleStatements } from './helpers';

const app = buildApp({ fanOut: true, sesConfigurationSet: 'audit', alarmEmail: 'oncall@example.com' });
const stack = addStack(app);
const template = Template.fromStack(stack);
const fanOut = stack.fanOut;
if (fanOut === undefined) throw new Error('fanOut: true built no fan-out');

/** Every statement of the policies attached to a role, flattened to readable strings. */
function statementsOf(roleLogicalId: string): Array<{ Action: unknown; Resource: unknown; Sid?: string }> {
  const policies = Object.values(template.findResources('AWS::IAM::Policy')).filter((p) =>
    (p.Properties.Roles as Array<{ Ref: string }>).some((r) => r.Ref === roleLogicalId),
  );
  return policies.flatMap((p) => flat(p.Properties.PolicyDocument.Statement) as never[]);
}

it('is cdk-nag clean', () => {
  const report = new AwsSolutionsChecks(app).validateScope(app);
  expect(report.violations).toEqual([]);
});

it('the schedule starts the state machine with the schedule time, and may do nothing else', () => {
  template.hasResourceProperties('AWS::Scheduler::Schedule', {
    Target: Match.objectLike({ Arn: { Ref: logicalId(fanOut.stateMachine) } }),
  });
  const statements = statementsOf(logicalId(stack.schedulerRole));
  expect(statements.map((s) => [s.Action, s.Resource])).toEqual([
    ['states:StartExecution', `\${${logicalId(fanOut.stateMachine)}}`],
    ['sqs:SendMessage', `\${${logicalId(stack.scheduleDlq)}.Arn}`],
  ]);
});

it('logs every execution event without execution data, traces with X-Ray, and alarms on a failed execution', () => {
  template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
    StateMachineType: 'STANDARD',
    LoggingConfiguration: Match.objectLike({ Level: 'ALL', IncludeExecutionData: false }),
    TracingConfiguration: { Enabled: true },
  });
  template.hasResourceProperties('AWS::CloudWatch::Alarm', {
    AlarmName: 'NumberAudit-FailedExecutions',
    MetricName: 'ExecutionsFailed',
    Namespace: 'AWS/States',
  });
});

it('the workspace task reads exactly the secrets under the prefix, never lists them', () => {
  const statements = statementsOf(logicalId(fanOut.workspaceTask.role));
  const secrets = statements.filter((s) => String(s.Action).startsWith('secretsmanager:'));
  expect(secrets).toEqual([
    expect.objectContaining({
      Sid: 'ReadClientKeysByPrefix',
      Action: 'secretsmanager:GetSecretValue',
      Resource: `arn:\${AWS::Partition}:secretsmanager:\${AWS::Region}:\${AWS::AccountId}:secret:number-audit/*`,
    }),
  ]);
  const bucket = logicalId(stack.historyBucket);
  const objects = statements.find((s) => s.Sid === 'HistoryObjects');
  expect(objects?.Resource).toEqual(
    ['checkpoints', 'idempotency', 'latest', 'reports', 'summaries'].map((p) => `\${${bucket}.Arn}/${p}/*`),
  );
  // The run's copy of the registry: read, never written.
  expect(statements.find((s) => s.Sid === 'RunRegistry')).toEqual(
    expect.objectContaining({ Action: 's3:GetObject', Resource: `\${${bucket}.Arn}/runs/*` }),
  );
});

it('the plan and roll-up function reads the registry and summaries, writes only claims and the run registry, reads no secret', () => {
  const statements = statementsOf(logicalId(stack.fn.role));
  expect(statements.some((s) => String(s.Action).startsWith('secretsmanager:'))).toBe(false);
  const bucket = logicalId(stack.historyBucket);
  expect(statements.find((s) => s.Sid === 'HistoryObjects')?.Resource).toEqual([
    `\${${bucket}.Arn}/idempotency/*`,
    `\${${bucket}.Arn}/runs/*`,
  ]);
  expect(statements.find((s) => s.Sid === 'RegistryAndSummaries')).toEqual(
    expect.objectContaining({
      Action: 's3:GetObject',
      Resource: [`\${${bucket}.Arn}/config/workspaces.json`, `\${${bucket}.Arn}/summaries/*`],
    }),
  );
});

it('keeps the workspace list out of the functions and fans out the context list through the plan step', () => {
  const workspaces = Array.from({ length: 25 }, (_, i) => ({ name: `c${i}`, secretId: `number-audit/c${i}` }));
  const big = Template.fromStack(addStack(buildApp({ workspaces }), 'Agency'));
  for (const fn of Object.values(big.findResources('AWS::Lambda::Function'))) {
    expect(fn.Properties.Environment.Variables).not.toHaveProperty('WORKSPACES');
  }
  const [machine] = Object.values(big.findResources('AWS::StepFunctions::StateMachine'));
  expect(JSON.stringify(machine.Properties.DefinitionString)).toContain('number-audit/c24');
});

describe('each fan-out role may touch exactly the S3 keys its step reads and writes (IAM evaluated)', () => {
  const resources = template.toJSON().Resources as CloudTemplate['Resources'];
  const arnOf = (id: string, type: string) =>
    type === 'AWS::S3::Bucket' ? `arn:aws:s3:::${id.toLowerCase()}` : `arn:aws:iam::123456789012:role/${id}`;
  const names: StackNames = {
    account: '123456789012',
    region: 'eu-west-1',
    partition: 'aws',
    refs: Object.fromEntries(
      Object.entries(resources).map(([id, r]) => [id, arnOf(id, r.Type).split(':::').pop() ?? id]),
    ),
    arns: Object.fromEntries(Object.entries(resources).map(([id, r]) => [id, arnOf(id, r.Type)])),
  };
  const bucket = arnOf(logicalId(stack.historyBucket), 'AWS::S3::Bucket');
  const runKey = 'a'.repeat(64);

  function permissionsOf(roleId: string): Permissions {
    const identityPolicies = Object.entries(resources)
      .filter(([, r]) => r.Type === 'AWS::IAM::Policy')
      .filter(([, r]) => ((r.Properties?.Roles ?? []) as Array<{ Ref?: string }>).some((x) => x.Ref === roleId))
      .map(([id, r]) => ({ name: id, policy: resolve(r.Properties?.PolicyDocument, names) as Policy['policy'] }));
    const resourcePolicies = Object.values(resources)
      .filter((r) => r.Type === 'AWS::S3::BucketPolicy')
      .map((r) => ({ arn: bucket, policy: resolve(r.Properties?.PolicyDocument, names) as Policy['policy'] }));
    return { roleArn: names.arns[roleId], identityPolicies, resourcePolicies, account: names.account };
  }

  async function decide(roleId: string, action: string, key: string | { prefix: string }): Promise<string> {
    const listing = typeof key !== 'string';
    const decision = await evaluate(permissionsOf(roleId), {
      action,
      resource: listing ? bucket : `${bucket}/${key}`,
      context: { 'aws:SecureTransport': 'true', ...(listing ? { 's3:prefix': key.prefix } : {}) },
    });
    return decision.result;
  }

  const roles = {
    'workspace task': () => logicalId(fanOut.workspaceTask.role),
    'plan + roll-up': () => logicalId(stack.fn.role),
  };
  const cases: Array<[keyof typeof roles, string, string | { prefix: string }, 'Allowed' | 'ImplicitlyDenied']> = [
    ['workspace task', 's3:GetObject', `runs/${runKey}/registry.json`, 'Allowed'],
    ['workspace task', 's3:PutObject', `runs/${runKey}/registry.json`, 'ImplicitlyDenied'],
    ['workspace task', 's3:GetObject', 'config/workspaces.json', 'ImplicitlyDenied'],
    ['workspace task', 's3:PutObject', `summaries/${runKey}/acme.json`, 'Allowed'],
    ['workspace task', 's3:PutObject', `checkpoints/${runKey}/acme.json`, 'Allowed'],
    ['workspace task', 's3:PutObject', 'config/workspaces.json', 'ImplicitlyDenied'],
    ['plan + roll-up', 's3:GetObject', 'config/workspaces.json', 'Allowed'],
    ['plan + roll-up', 's3:PutObject', 'config/workspaces.json', 'ImplicitlyDenied'],
    ['plan + roll-up', 's3:PutObject', `runs/${runKey}/registry.json`, 'Allowed'],
    ['plan + roll-up', 's3:ListBucket', { prefix: `summaries/${runKey}/` }, 'Allowed'],
    ['plan + roll-up', 's3:GetObject', `summaries/${runKey}/acme.json`, 'Allowed'],
    ['plan + roll-up', 's3:PutObject', `summaries/${runKey}/acme.json`, 'ImplicitlyDenied'],
    ['plan + roll-up', 's3:GetObject', `checkpoints/${runKey}/acme.json`, 'ImplicitlyDenied'],
    ['plan + roll-up', 's3:GetObject', 'reports/acme/2026-11-30/audit.json', 'ImplicitlyDenied'],
  ];
  it.each(cases)('%s: %s on %j is %s', async (who, action, key, expected) => {
    expect(await decide(roles[who](), action, key)).toBe(expected);
  });
});

describe('without an operator configuration set', () => {
  const ownApp = buildApp({ fanOut: true });
  const own = addStack(ownApp, 'OwnSet');
  const ownTemplate = Template.fromStack(own);
  const ownFanOut = own.fanOut;
  if (ownFanOut === undefined) throw new Error('fanOut: true built no fan-out');
  const statements = (roleId: string) => roleStatements(ownTemplate, roleId) as Array<Record<string, unknown>>;

  it('creates the configuration set with its bounce alarm, and both functions send with it', () => {
    const set = own.reportFeedback?.configurationSetName;
    expect(set).toBeDefined();
    ownTemplate.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'OwnSet-ReportBounced' });
    for (const role of [own.fn.role, ownFanOut.workspaceTask.role]) {
      const send = statements(logicalId(role)).find((s) => s.Sid === 'SendReportEmail');
      expect(send?.Resource).toContain(
        `arn:\${AWS::Partition}:ses:\${AWS::Region}:\${AWS::AccountId}:configuration-set/${set}`,
      );
    }
    const env = Object.values(ownTemplate.findResources('AWS::Lambda::Function')).map(
      (f) => f.Properties.Environment.Variables[SETTINGS.sesConfigurationSet.env],
    );
    expect(env).toEqual(env.map(() => set));
  });

  it('is cdk-nag clean', () => {
    expect(new AwsSolutionsChecks(ownApp).validateScope(ownApp).violations).toEqual([]);
  });

  it('lets only the roll-up put the run event, on the default bus under its own source', () => {
    const put = (roleId: string) => statements(roleId).filter((s) => String(s.Action).startsWith('events:'));
    expect(put(logicalId(own.fn.role))).toEqual([
      expect.objectContaining({ Sid: 'PutRunEvents', Action: 'events:PutEvents' }),
    ]);
    expect(put(logicalId(ownFanOut.workspaceTask.role))).toEqual([]);
  });
});
