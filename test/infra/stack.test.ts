// The synthesized template with cdk.json's defaults and only the required keys given.
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Runtime } from 'aws-cdk-lib/aws-lambda';
import { ARCHIVE_PREFIXES, INVENTORY_PREFIX } from '../../lambda/adapters/archive/layout';
import type { NumberAuditStack } from '../../lib/number-audit-stack';
import { addStack, buildApp, flat, logicalId, roleStatements } from './helpers';

let stack: NumberAuditStack;
let template: Template;
let ids: {
  fn: string;
  fnRole: string;
  logs: string;
  dlq: string;
  failed: string;
  topic: string;
  schedulerRole: string;
  bucket: string;
};

beforeAll(() => {
  stack = addStack(buildApp());
  template = Template.fromStack(stack);
  ids = {
    fn: logicalId(stack.fn),
    fnRole: logicalId(stack.fn.role),
    logs: logicalId(stack.fn.logGroup),
    dlq: logicalId(stack.scheduleDlq),
    failed: logicalId(stack.failureQueue),
    topic: logicalId(stack.alarmTopic),
    schedulerRole: logicalId(stack.schedulerRole),
    bucket: logicalId(stack.historyBucket),
  };
});

const ARN = (service: string, rest: string) =>
  `arn:\${AWS::Partition}:${service}:\${AWS::Region}:\${AWS::AccountId}:${rest}`;

describe('schedule', () => {
  it('fires Mondays 09:00 in the configured time zone, with no flexible window', () => {
    template.resourceCountIs('AWS::Scheduler::Schedule', 1);
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 9 ? * MON *)',
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      State: 'ENABLED',
    });
  });

  it('sends exactly scheduledTime and scheduleArn from the context attributes', () => {
    const [schedule] = Object.values(template.findResources('AWS::Scheduler::Schedule'));
    expect(JSON.parse(schedule.Properties.Target.Input)).toEqual({
      scheduledTime: '<aws.scheduler.scheduled-time>',
      scheduleArn: '<aws.scheduler.schedule-arn>',
    });
  });

  it('targets the function with an explicit retry policy and the SQS dead-letter queue', () => {
    const [schedule] = Object.values(template.findResources('AWS::Scheduler::Schedule'));
    expect(flat(schedule.Properties.Target)).toMatchObject({
      Arn: `\${${ids.fn}.Arn}`,
      RoleArn: `\${${ids.schedulerRole}.Arn}`,
      RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 3600 },
      DeadLetterConfig: { Arn: `\${${ids.dlq}.Arn}` },
    });
  });

  it("runs as a role only Scheduler in this account's default group can assume", () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Action: 'sts:AssumeRole',
            Effect: 'Allow',
            Principal: { Service: 'scheduler.amazonaws.com' },
            Condition: {
              StringEquals: {
                'aws:SourceAccount': { Ref: 'AWS::AccountId' },
                'aws:SourceArn': Match.anyValue(),
              },
            },
          },
        ],
      },
    });
    const role = template.findResources('AWS::IAM::Role')[ids.schedulerRole];
    expect(flat(role.Properties.AssumeRolePolicyDocument.Statement[0].Condition.StringEquals['aws:SourceArn'])).toBe(
      ARN('scheduler', 'schedule-group/default'),
    );
  });

  it('the Scheduler role may invoke the unqualified function and feed the DLQ, nothing else', () => {
    expect(roleStatements(template, ids.schedulerRole)).toEqual([
      { Sid: 'InvokeAuditFunction', Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: `\${${ids.fn}.Arn}` },
      { Sid: 'DeadLetter', Effect: 'Allow', Action: 'sqs:SendMessage', Resource: `\${${ids.dlq}.Arn}` },
    ]);
  });
});

describe('function', () => {
  it('runs on the newest Node.js runtime aws-cdk-lib knows (what cdk-nag L1 demands), on arm64', () => {
    const newest = Runtime.ALL.map((r) => r.name)
      .filter((n) => /^nodejs\d+/.test(n))
      .sort((a, b) => a.localeCompare(b, undefined, { numeric: true }))
      .pop();
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: newest,
      Architectures: ['arm64'],
      Handler: 'index.handler',
    });
    expect(newest).toBe('nodejs24.x');
  });

  it('has the configured memory and a timeout above the deadline margin', () => {
    template.hasResourceProperties('AWS::Lambda::Function', { MemorySize: 768, Timeout: 900 });
  });

  it('keeps the log group logical id of earlier releases, so an update never deletes its logs', () => {
    expect(ids.logs).toBe('AuditFunctionLogsFBC8BCBF');
    expect(Object.keys(template.findResources('AWS::Logs::LogGroup'))).toContain('AuditFunctionLogsFBC8BCBF');
  });

  it('logs to its own log group, kept 90 days and removed with the stack', () => {
    template.hasResourceProperties('AWS::Lambda::Function', { LoggingConfig: { LogGroup: { Ref: ids.logs } } });
    template.hasResource('AWS::Logs::LogGroup', {
      Properties: { RetentionInDays: 90 },
      DeletionPolicy: 'Delete',
      UpdateReplacePolicy: 'Delete',
    });
  });

  it('gets names and settings in its environment, never a key value', () => {
    const [fn] = Object.values(template.findResources('AWS::Lambda::Function'));
    expect(fn.Properties.Environment.Variables).toEqual({
      DIALNEXA_SECRET_ID: 'number-audit/dialnexa',
      DIALNEXA_SECRET_FIELD: 'apiKey',
      DIALNEXA_BASE_URL: 'https://api.dialnexa.com',
      REPORT_RECIPIENTS: 'ops@example.com,finance@example.com',
      // The recipients' domain: what the SES policy allows, and all a console event may send to.
      ALLOWED_RECIPIENT_DOMAINS: 'example.com',
      BASELINE_GUARD_PERCENT: '50',
      REPORT_SENDER: 'audit@reports.example.com',
      REPORT_TIME_ZONE: 'UTC',
      WORKSPACE_NAME: 'DialNexa workspace',
      RUN_DEADLINE_MARGIN_MS: '60000',
      ARCHIVE_BUCKET: { Ref: ids.bucket },
      ACTION_TRIGGERS: 'unrouted,missingAgents,removedNumbers,failedWorkspaces',
      CHECK_AGENTS: 'true',
      PUBLISH_EVENTS: 'true',
      // The configuration set the stack made, whose bounces and complaints reach an alarm.
      SES_CONFIGURATION_SET: stack.reportFeedback?.configurationSetName,
      CHECK_USAGE: 'true',
      USAGE_WINDOW_DAYS: '30',
      USAGE_REQUEST_BUDGET: '1500',
      // The 60 s margin + 120: the claim covers rendering and sending only.
      IDEMPOTENCY_LEASE_SECONDS: '180',
      POWERTOOLS_SERVICE_NAME: 'number-audit',
      POWERTOOLS_METRICS_NAMESPACE: 'NumberAudit',
      POWERTOOLS_LOG_LEVEL: 'INFO',
      NODE_OPTIONS: '--enable-source-maps',
    });
  });

  it('retries a failed run twice within an hour, then parks the event in the failed-runs queue', () => {
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: ids.fn },
      Qualifier: '$LATEST',
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 3600,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [ids.failed, 'Arn'] } } },
    });
  });
});

describe('least privilege', () => {
  it('the function role carries no managed policy', () => {
    const role = template.findResources('AWS::IAM::Role')[ids.fnRole];
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } },
    ]);
  });

  it('the function may write its log group, read one secret, send as the sender, use three bucket prefixes, and fill its failure queue', () => {
    expect(roleStatements(template, ids.fnRole)).toEqual([
      { Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: `\${${ids.logs}.Arn}` },
      {
        Sid: 'ReadDialNexaKey',
        Effect: 'Allow',
        Action: 'secretsmanager:GetSecretValue',
        // The 6 `?` match the suffix Secrets Manager adds to the name, and nothing longer.
        Resource: ARN('secretsmanager', 'secret:number-audit/dialnexa-??????'),
      },
      {
        Sid: 'SendReportEmail',
        Effect: 'Allow',
        Action: 'ses:SendRawEmail',
        // Sending with a configuration set is authorized against the set too.
        Resource: [
          ARN('ses', `configuration-set/${stack.reportFeedback?.configurationSetName}`),
          ARN('ses', 'identity/audit@reports.example.com'),
          ARN('ses', 'identity/reports.example.com'),
        ],
        Condition: {
          StringEquals: { 'ses:FromAddress': 'audit@reports.example.com' },
          // Every recipient (To, Cc, Bcc) at the recipients' domain; Null: a request that names no
          // recipients would otherwise pass ForAllValues vacuously.
          'ForAllValues:StringLike': { 'ses:Recipients': ['*@example.com'] },
          Null: { 'ses:Recipients': 'false' },
        },
      },
      // The run's event, on the default bus only, under its own source only.
      {
        Sid: 'PutRunEvents',
        Effect: 'Allow',
        Action: 'events:PutEvents',
        Resource: ARN('events', 'event-bus/default'),
        Condition: {
          'ForAllValues:StringEquals': { 'events:source': ['number-audit'] },
          Null: { 'events:source': 'false' },
        },
      },
      // Added by the SqsDestination grant: SendMessage plus two read-only calls on that one queue.
      {
        Effect: 'Allow',
        Action: ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'],
        Resource: `\${${ids.failed}.Arn}`,
      },
      // The history statements come last: they are in a policy of their own (see the next test).
      {
        Sid: 'HistoryObjects',
        Effect: 'Allow',
        // No DeleteObject: expiry is the lifecycle rules' job.
        Action: ['s3:GetObject', 's3:PutObject'],
        Resource: [
          `\${${ids.bucket}.Arn}/idempotency/*`,
          `\${${ids.bucket}.Arn}/latest/*`,
          `\${${ids.bucket}.Arn}/reports/*`,
        ],
      },
      // Read-only: operators write each workspace's inventory there.
      { Sid: 'InventoryRead', Effect: 'Allow', Action: 's3:GetObject', Resource: `\${${ids.bucket}.Arn}/inventory/*` },
      // On the bucket, unconditioned: what turns a missing key into 404 instead of 403.
      { Sid: 'HistoryMissingKeyIs404', Effect: 'Allow', Action: 's3:ListBucket', Resource: `\${${ids.bucket}.Arn}` },
    ]);
  });

  it("the bucket prefixes the function may use are exactly the archive layout's, in one policy of its own", () => {
    const prefixes = Object.values(ARCHIVE_PREFIXES);
    expect(prefixes).toHaveLength(3);
    const policies = Object.values(template.findResources('AWS::IAM::Policy')).filter((p) =>
      JSON.stringify(p.Properties.PolicyDocument).includes('s3:'),
    );
    expect(policies).toHaveLength(1);
    expect(policies[0].Properties.Roles).toEqual([{ Ref: ids.fnRole }]);
    expect(flat(policies[0].Properties.PolicyDocument.Statement)).toEqual([
      {
        Sid: 'HistoryObjects',
        Effect: 'Allow',
        Action: ['s3:GetObject', 's3:PutObject'],
        Resource: prefixes.map((p) => `\${${ids.bucket}.Arn}/${p}*`).sort(),
      },
      {
        Sid: 'InventoryRead',
        Effect: 'Allow',
        Action: 's3:GetObject',
        Resource: `\${${ids.bucket}.Arn}/${INVENTORY_PREFIX}*`,
      },
      { Sid: 'HistoryMissingKeyIs404', Effect: 'Allow', Action: 's3:ListBucket', Resource: `\${${ids.bucket}.Arn}` },
    ]);
  });

  it('the function is created or updated only once both of its role policies are in place', () => {
    const fnPolicies = Object.entries(template.findResources('AWS::IAM::Policy'))
      .filter(([, p]) => (p.Properties.Roles as Array<{ Ref?: string }>).some((r) => r.Ref === ids.fnRole))
      .map(([id]) => id);
    expect(fnPolicies).toHaveLength(2);
    const [fn] = Object.values(template.findResources('AWS::Lambda::Function'));
    expect(fn.DependsOn).toEqual(expect.arrayContaining([ids.fnRole, ...fnPolicies]));
  });

  it('no IAM statement anywhere in the stack grants a bare "*" resource or action; the only trailing wildcards are the three history prefixes and the read-only inventory prefix', () => {
    const statements = [
      ...Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
        (p) => p.Properties.PolicyDocument.Statement,
      ),
      ...Object.values(template.findResources('AWS::IAM::Role')).flatMap(
        (r) => r.Properties.AssumeRolePolicyDocument.Statement,
      ),
    ] as Array<{ Action: unknown; Resource?: unknown }>;
    expect(statements.length).toBeGreaterThan(5);
    const prefixes = [...Object.values(ARCHIVE_PREFIXES), INVENTORY_PREFIX].map((p) =>
      JSON.stringify(`\${${ids.bucket}.Arn}/${p}*`),
    );
    const wildcards: string[] = [];
    for (const s of statements) {
      expect([s.Action].flat()).not.toContain('*');
      const resources = [s.Resource].flat().map((r) => JSON.stringify(flat(r)));
      expect(resources).not.toContain('"*"');
      wildcards.push(...resources.filter((r) => /[:/]\*"$/.test(r)));
    }
    expect(wildcards.sort()).toEqual([...prefixes].sort());
  });
});

describe('dead-letter queues', () => {
  it.each([
    ['schedule DLQ', () => ids.dlq],
    ['failed runs', () => ids.failed],
  ])('%s: encrypted, 14 days, SSL only', (_name, id) => {
    const queue = template.findResources('AWS::SQS::Queue')[id()];
    expect(queue.Properties).toEqual({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 24 * 3600 });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: id() }],
      PolicyDocument: {
        Statement: [
          {
            Effect: 'Deny',
            Action: 'sqs:*',
            Principal: { AWS: '*' },
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            Resource: { 'Fn::GetAtt': [id(), 'Arn'] },
          },
        ],
      },
    });
  });
});

describe('history bucket', () => {
  it('is encrypted, private, owner-enforced, unversioned, and kept when the stack is destroyed', () => {
    const bucket = template.findResources('AWS::S3::Bucket')[ids.bucket];
    expect(Object.keys(template.findResources('AWS::S3::Bucket'))).toEqual([ids.bucket]);
    expect(bucket).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    const { LifecycleConfiguration, ...rest } = bucket.Properties;
    expect(rest).toEqual({
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
    });
    expect(LifecycleConfiguration).toBeDefined();
  });

  it('expires run folders after historyRetentionDays and claims after 30 days; latest/ pointers never', () => {
    const bucket = template.findResources('AWS::S3::Bucket')[ids.bucket];
    expect(bucket.Properties.LifecycleConfiguration.Rules).toEqual([
      { Id: 'ExpireRunHistory', Prefix: 'reports/', ExpirationInDays: 400, Status: 'Enabled' },
      { Id: 'ExpireIdempotencyClaims', Prefix: 'idempotency/', ExpirationInDays: 30, Status: 'Enabled' },
    ]);
  });

  it('refuses every request not made over TLS, to the bucket and its objects', () => {
    const [policy] = Object.values(template.findResources('AWS::S3::BucketPolicy'));
    expect(policy.Properties.Bucket).toEqual({ Ref: ids.bucket });
    expect(flat(policy.Properties.PolicyDocument.Statement)).toEqual([
      {
        Effect: 'Deny',
        Action: 's3:*',
        Principal: { AWS: '*' },
        Resource: [`\${${ids.bucket}.Arn}`, `\${${ids.bucket}.Arn}/*`],
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      },
    ]);
  });
});

describe('alarms', () => {
  const ALARM_NAMES = [
    'NumberAudit-ArchiveFailures',
    'NumberAudit-EventPublishFailures',
    'NumberAudit-FailedRunMessages',
    'NumberAudit-FailedWorkspaces',
    'NumberAudit-FunctionErrors',
    'NumberAudit-IncompleteListings',
    'NumberAudit-ReportBounced',
    'NumberAudit-ScheduleDlqMessages',
    'NumberAudit-UncertainDelivery',
  ];

  it("the topic takes publishes over TLS only, from this stack's alarms", () => {
    const [policy] = Object.values(template.findResources('AWS::SNS::TopicPolicy'));
    const statements = flat(policy.Properties.PolicyDocument.Statement) as Array<{
      Condition: { ArnEquals?: Record<string, string[]> };
    }>;
    statements[1].Condition.ArnEquals?.['aws:SourceArn'].sort();
    expect(statements).toEqual([
      {
        Sid: 'AllowPublishThroughSSLOnly',
        Effect: 'Deny',
        Action: 'sns:Publish',
        Principal: '*',
        Resource: `\${${ids.topic}}`,
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      },
      {
        Sid: 'AllowThisStacksAlarms',
        Effect: 'Allow',
        Action: 'sns:Publish',
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Resource: `\${${ids.topic}}`,
        // Each alarm of this stack by its full name: a pattern like NumberAudit-* would also admit
        // the alarms of a stack named NumberAudit-Staging.
        Condition: {
          ArnEquals: { 'aws:SourceArn': ALARM_NAMES.map((name) => ARN('cloudwatch', `alarm:${name}`)) },
          StringEquals: { 'aws:SourceAccount': `\${AWS::AccountId}` },
        },
      },
    ]);
  });

  it('has no email subscription unless alarmEmail is set', () => {
    template.resourceCountIs('AWS::SNS::Subscription', 0);
  });

  const common = {
    ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    Threshold: 1,
    EvaluationPeriods: 1,
    Period: 300,
    TreatMissingData: 'notBreaching',
  };

  it('nine alarms, each named under the stack prefix and notifying the topic', () => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
    expect(alarms.map((a) => a.Properties.AlarmName).sort()).toEqual(ALARM_NAMES);
    for (const a of alarms) {
      // A metric-math alarm states its period on each metric (below).
      const { Period, ...rest } = common;
      expect(a.Properties).toMatchObject(a.Properties.Metrics ? rest : { ...rest, Period });
      expect(a.Properties.AlarmActions).toEqual([{ Ref: ids.topic }]);
    }
  });

  it("any bounce or complaint of the report, from SES's metrics for the stack's configuration set", () => {
    const [alarm] = Object.values(template.findResources('AWS::CloudWatch::Alarm')).filter(
      (a) => a.Properties.AlarmName === 'NumberAudit-ReportBounced',
    );
    const set = stack.reportFeedback?.configurationSetName;
    const metric = (id: string, name: string) => ({
      Id: id,
      ReturnData: false,
      MetricStat: {
        Metric: {
          Namespace: 'AWS/SES',
          MetricName: name,
          Dimensions: [{ Name: 'ses:configuration-set', Value: set }],
        },
        Period: 300,
        Stat: 'Sum',
      },
    });
    expect(alarm.Properties.Metrics).toEqual([
      expect.objectContaining({ Expression: 'FILL(bounces, 0) + FILL(complaints, 0)', ReturnData: true }),
      metric('bounces', 'Bounce'),
      metric('complaints', 'Complaint'),
    ]);
    expect(alarm.Properties).toMatchObject({ Threshold: 1, TreatMissingData: 'notBreaching' });
  });

  it('function errors', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'NumberAudit-FunctionErrors',
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Statistic: 'Sum',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: ids.fn } }],
    });
  });

  it.each([
    ['NumberAudit-ScheduleDlqMessages', () => ids.dlq],
    ['NumberAudit-FailedRunMessages', () => ids.failed],
  ])('%s: any message visible in the queue', (name, queue) => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: name,
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Statistic: 'Maximum',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queue(), 'QueueName'] } }],
    });
  });

  it.each(['IncompleteListings', 'FailedWorkspaces', 'ArchiveFailures', 'UncertainDelivery'])(
    "the handler's %s EMF metric, by its Powertools service dimension",
    (metric) => {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: `NumberAudit-${metric}`,
        Namespace: 'NumberAudit',
        MetricName: metric,
        Statistic: 'Sum',
        Dimensions: [{ Name: 'service', Value: 'number-audit' }],
      });
    },
  );
});

it('outputs what the README commands need', () => {
  const outputs = template.findOutputs('*');
  expect(Object.fromEntries(Object.entries(outputs).map(([k, o]) => [k, flat(o.Value)]))).toEqual({
    FunctionName: `\${${ids.fn}}`,
    LogGroupName: `\${${ids.logs}}`,
    ScheduleName: `\${${logicalId(stack.schedule)}}`,
    AlarmTopicArn: `\${${ids.topic}}`,
    ScheduleDlqUrl: `\${${ids.dlq}}`,
    FailedRunsQueueUrl: `\${${ids.failed}}`,
    HistoryBucketName: `\${${ids.bucket}}`,
    DashboardName: 'NumberAudit',
    SesConfigurationSetName: stack.reportFeedback?.configurationSetName,
  });
});
