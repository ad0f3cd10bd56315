// cdk-nag AwsSolutions, the pack bin/app.ts registers on every synth: the stack passes with only the
// acknowledgments listed here, and a new wildcard grant would not slip through.
import { Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { addStack, buildApp } from './helpers';

function acknowledgments(root: IConstruct): Array<{ path: string; id: string; reason: string }> {
  return root.node.findAll().flatMap((c) =>
    c.node.metadata
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((m) => Object.entries(m.data as Record<string, string>).map(([id, reason]) => ({ path: c.node.path, id: id.replace(/^annotation::/i, ''), reason }))),
  );
}

it('the stack has zero unacknowledged AwsSolutions findings', () => {
  const app = buildApp({ alarmEmail: 'oncall@example.com', sesConfigurationSet: 'audit' });
  addStack(app);
  const report = new AwsSolutionsChecks(app).validateScope(app);
  expect(report.violations).toEqual([]);
  expect(report.success).toBe(true);
});

it('acknowledges exactly one finding per dead-letter queue (SQS3), each with a reason', () => {
  const app = buildApp();
  addStack(app);
  const acks = acknowledgments(app);
  expect(acks.map(({ path, id }) => ({ path, id }))).toEqual([
    { path: 'NumberAudit/ScheduleDlq/Resource', id: 'AwsSolutions-SQS3' },
    { path: 'NumberAudit/FailedRuns/Resource', id: 'AwsSolutions-SQS3' },
  ]);
  for (const a of acks) expect(a.reason).toMatch(/dead-letter queue .{20,}/);
});

it('a wildcard permission added to the function is reported', () => {
  const app = buildApp();
  const stack = addStack(app);
  stack.fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['ses:SendRawEmail'], resources: ['*'] }));
  const report = new AwsSolutionsChecks(app).validateScope(app);
  expect(report.success).toBe(false);
  expect(report.violations.map((v) => v.ruleName)).toEqual(['AwsSolutions-IAM5[Resource::*]']);
  expect(report.violations[0].violatingResources[0].constructPath).toBe('NumberAudit/AuditFunctionRole/DefaultPolicy/Resource');
});
