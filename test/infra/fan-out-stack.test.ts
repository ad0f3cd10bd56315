// Fan-out mode's resources and who may do what: the schedule starts the state machine, each
// function's role has only its step's permissions, and cdk-nag passes with reasons.
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { addStack, buildApp, flat, logicalId } from './helpers';

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
