// cdk-nag AwsSolutions, the pack bin/app.ts registers on every synth: the stack passes with only the
// acknowledgments listed here, and a new wildcard grant would not slip through.
import { Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { addStack, buildApp, logicalId } from './helpers';

function acknowledgments(root: IConstruct): Array<{ path: string; id: string; reason: string }> {
  return root.node.findAll().flatMap((c) =>
    c.node.metadata
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((m) =>
        Object.entries(m.data as Record<string, string>).map(([id, reason]) => ({
          path: c.node.path,
          id: id.replace(/^annotation::/i, ''),
          reason,
        })),
      ),
  );
}

it('the stack has zero unacknowledged AwsSolutions findings, with every option set', () => {
  const app = buildApp({
    alarmEmail: 'oncall@example.com',
    sesConfigurationSet: 'audit',
    secretKmsKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    workspaces: [
      { name: 'Acme', secretId: 'acme/dialnexa' },
      { name: 'Globex', secretId: 'globex/dialnexa' },
    ],
    rateCard: { rates: { '*': { '*': 1 } } },
  });
  addStack(app);
  const report = new AwsSolutionsChecks(app).validateScope(app);
  expect(report.violations).toEqual([]);
  expect(report.success).toBe(true);
});

it('acknowledges exactly: SQS3 per dead-letter queue, S1 on the history bucket, IAM5 per history prefix and on the read-only inventory prefix; each with a reason', () => {
  const app = buildApp();
  const stack = addStack(app);
  const acks = acknowledgments(app);
  const bucketArn = `<${logicalId(stack.historyBucket)}.Arn>`;
  expect(acks.map(({ path, id }) => ({ path, id }))).toEqual([
    { path: 'NumberAudit/HistoryBucket/Resource', id: 'AwsSolutions-S1' },
    ...['reports', 'latest', 'idempotency'].map((prefix) => ({
      path: 'NumberAudit/AuditFunction/HistoryAccess/Resource',
      id: `AwsSolutions-IAM5[Resource::${bucketArn}/${prefix}/*]`,
    })),
    {
      path: 'NumberAudit/AuditFunction/HistoryAccess/Resource',
      id: `AwsSolutions-IAM5[Resource::${bucketArn}/inventory/*]`,
    },
    { path: 'NumberAudit/ScheduleDlq/Resource', id: 'AwsSolutions-SQS3' },
    { path: 'NumberAudit/FailedRuns/Resource', id: 'AwsSolutions-SQS3' },
  ]);
  const reasons = acks.map((a) => a.reason);
  expect(reasons[0]).toMatch(/already emailed .*CloudTrail S3 data events/);
  for (const [i, prefix] of ['reports', 'latest', 'idempotency'].entries())
    expect(reasons[i + 1]).toMatch(new RegExp(`^Prefix-scoped: objects under ${prefix}/ .{40,}`));
  expect(reasons[4]).toMatch(/^Read-only, prefix-scoped: .* inventory\/ .{20,}/);
  for (const r of reasons.slice(5)) expect(r).toMatch(/dead-letter queue .{20,}/);
});

it('a grant on the whole history bucket is reported, not covered by the prefix acknowledgments', () => {
  const app = buildApp();
  const stack = addStack(app);
  stack.fn.role.addToPrincipalPolicy(
    new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [stack.historyBucket.arnForObjects('*')] }),
  );
  const report = new AwsSolutionsChecks(app).validateScope(app);
  expect(report.violations.map((v) => v.ruleName)).toEqual([
    `AwsSolutions-IAM5[Resource::<${logicalId(stack.historyBucket)}.Arn>/*]`,
  ]);
});

it('a wildcard permission added to the function is reported', () => {
  const app = buildApp();
  const stack = addStack(app);
  stack.fn.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['ses:SendRawEmail'], resources: ['*'] }));
  const report = new AwsSolutionsChecks(app).validateScope(app);
  expect(report.success).toBe(false);
  expect(report.violations.map((v) => v.ruleName)).toEqual(['AwsSolutions-IAM5[Resource::*]']);
  expect(report.violations[0].violatingResources[0].constructPath).toBe(
    'NumberAudit/AuditFunction/ServiceRole/DefaultPolicy/Resource',
  );
});
