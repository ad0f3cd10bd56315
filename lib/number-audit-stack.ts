// The deployed product: a weekly EventBridge Scheduler schedule (in the operator's time zone) invokes
// the audit function, which reads each workspace's DialNexa key from Secrets Manager, keeps its run
// history in an S3 bucket and emails the report via SES. Every way a run can be lost ends in a
// queue or an alarm on one SNS topic.
import { ArnFormat, CfnOutput, Duration, Stack, TimeZone, Token, Validations, type StackProps } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import {
  ContextAttribute,
  Schedule,
  ScheduleExpression,
  ScheduleTargetInput,
  TimeWindow,
} from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke, StepFunctionsStartExecution } from 'aws-cdk-lib/aws-scheduler-targets';
import * as sns from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { ARCHIVE_PREFIXES } from '../lambda/adapters/archive/layout';
import { ConfigError } from '../lambda/core/errors';
import { METRIC, type MetricName } from '../lambda/handler/metric-names';
import { RUN_EVENT } from '../lambda/handler/run-event';
import { AuditFunction, RUNTIME_ENVIRONMENT } from './audit-function';
import { cronExpression, type SecretRef, type StackConfig } from './config';
import { AuditDashboard } from './dashboard';
import { AUDIT_METRICS, checkEnvironmentSize, functionEnvironment } from './function-environment';
import { FanOut, fanOutEnvironment, ROLL_UP_ENTRY } from './fan-out';
import { HistoryBucket } from './history-bucket';
import { REPORT_EMAIL_EVENTS, ReportFeedback } from './report-feedback';

/** Retries and event age, for both the schedule's delivery and Lambda's asynchronous invoke. */

/** The function's log group's logical id in the templates before AuditFunction was a construct. */
const LEGACY_LOG_GROUP_ID = 'AuditFunctionLogsFBC8BCBF';

export const DELIVERY = {
  /** Scheduler -> Lambda: retries only when the invoke itself fails (throttling, service errors). */
  scheduleRetryAttempts: 2,
  scheduleMaxEventAge: Duration.hours(1),
  /** Lambda async: re-runs a failed audit twice (1 and 2 minutes later) - transient API outages. */
  functionRetryAttempts: 2,
  functionMaxEventAge: Duration.hours(1),
} as const;

/** The handler's EMF metrics with an alarm of the same name (any count in 5 minutes), and what it means. */
const EMF_ALARMS: ReadonlyArray<[MetricName, string]> = [
  [METRIC.IncompleteListings, 'A report went out marked INCOMPLETE: the listing never matched the API total.'],
  [
    METRIC.FailedWorkspaces,
    'A workspace could not be audited (key refused, API outage); the email says which and what to do.',
  ],
  [
    METRIC.ArchiveFailures,
    'A run could not be written to the history bucket: the email went out, but the next run compares with an older baseline.',
  ],
  [
    METRIC.UncertainDelivery,
    'A run ended "duplicate, uncertain": SES may or may not have sent the report. Check the inboxes before running it again.',
  ],
];

/** Only when the function publishes run events (publishEvents). */
const EVENT_ALARM: [MetricName, string] = [
  METRIC.EventPublishFailures,
  "A run's event could not be put on the EventBridge bus: rules routing it to chat, tickets or on-call saw nothing. The email went out; see the function's log.",
];

export interface NumberAuditStackProps extends StackProps {
  config: StackConfig;
}

export class NumberAuditStack extends Stack {
  readonly fn: AuditFunction;
  readonly schedule: Schedule;
  readonly scheduleDlq: sqs.Queue;
  readonly failureQueue: sqs.Queue;
  readonly alarmTopic: sns.Topic;
  readonly schedulerRole: iam.Role;
  readonly historyBucket: HistoryBucket;
  /** The configuration set the stack made for the report; undefined when the operator named one. */
  readonly reportFeedback?: ReportFeedback;
  readonly dashboard: AuditDashboard;
  private readonly alarms: Array<{ name: string; alarm: cloudwatch.Alarm }> = [];
  /** Fan-out mode only: the state machine and the workspace task. */
  readonly fanOut?: FanOut;

  constructor(scope: Construct, id: string, props: NumberAuditStackProps) {
    super(scope, id, props);
    const { config } = props;
    this.checkRegion(config);

    this.historyBucket = new HistoryBucket(this, 'HistoryBucket', {
      retentionDays: config.historyRetentionDays,
      fanOut: config.fanOut,
    });
    // An operator's own configuration set has its own event destinations; otherwise ours reports bounces.
    if (!config.sesConfigurationSet) this.reportFeedback = new ReportFeedback(this, 'ReportFeedback');
    const configurationSet = config.sesConfigurationSet ?? this.reportFeedback?.configurationSetName;
    const environment = functionEnvironment(
      { ...config, sesConfigurationSet: configurationSet },
      this.historyBucket.bucketName,
    );
    checkEnvironmentSize({ ...(config.fanOut ? fanOutEnvironment(environment) : environment), ...RUNTIME_ENVIRONMENT });

    ({ fn: this.fn, fanOut: this.fanOut } = this.createFunctions(config, environment, configurationSet));

    this.scheduleDlq = this.deadLetterQueue(
      'ScheduleDlq',
      'events EventBridge Scheduler could not deliver to the function',
    );
    this.failureQueue = this.deadLetterQueue(
      'FailedRuns',
      'runs that failed after every Lambda retry (on-failure destination)',
    );

    this.fn.lambdaFunction.configureAsyncInvoke({
      retryAttempts: DELIVERY.functionRetryAttempts,
      maxEventAge: DELIVERY.functionMaxEventAge,
      onFailure: new SqsDestination(this.failureQueue),
    });

    this.schedulerRole = this.createSchedulerRole();
    this.schedule = this.createSchedule(config);

    this.alarmTopic = this.createAlarmTopic(config);
    this.createAlarms(config);
    this.admitAlarms(this.alarms.map((a) => a.name));
    this.dashboard = this.createDashboard(config);
    this.addOutputs(configurationSet);
  }

  /** The audit function (in fan-out mode: plan and roll-up) and, in fan-out mode, the state machine. */
  private createFunctions(
    config: StackConfig,
    environment: Record<string, string>,
    configurationSet: string | undefined,
  ): { fn: AuditFunction; fanOut?: FanOut } {
    const functionProps = {
      description: config.workspaces
        ? `Weekly DialNexa number audit for ${config.workspaces.length} workspaces`
        : `Weekly DialNexa number audit for ${config.workspaceName}`,
      memorySize: config.memorySize,
      timeout: Duration.seconds(config.functionTimeoutSeconds),
      logRetention: config.logRetentionDays,
      bundleAwsSdk: config.bundleAwsSdk,
      environment: config.fanOut ? fanOutEnvironment(environment) : environment,
    };
    // Fan-out: this function plans the run and sends the roll-up; the state machine does the rest.
    const fn = new AuditFunction(this, 'AuditFunction', {
      ...functionProps,
      logGroupLogicalId: LEGACY_LOG_GROUP_ID,
      ...(config.fanOut ? { entry: ROLL_UP_ENTRY, description: 'Number audit fan-out: plan and roll-up email' } : {}),
    });
    if (config.fanOut) {
      const fanOut = new FanOut(this, 'FanOut', {
        config,
        bucket: this.historyBucket,
        rollUp: fn,
        functionProps,
        configurationSet,
      });
      return { fn, fanOut };
    }
    fn.grantSecretRead(
      workspaceSecrets(config).map((w) => ({ arn: secretPolicyArn(this, w.secret), kmsKeyArn: w.kmsKeyArn })),
    );
    // Sending with a configuration set is authorized against the set as well as the identity.
    fn.grantSendEmail(config.sender, config.allowedRecipientDomains, configurationSet);
    if (config.publishEvents) fn.grantPutRunEvents(RUN_EVENT.source);
    fn.grantHistoryAccess(this.historyBucket, Object.values(ARCHIVE_PREFIXES));
    return { fn };
  }

  private createDashboard(config: StackConfig): AuditDashboard {
    return new AuditDashboard(this, 'Dashboard', {
      dashboardName: this.stackName,
      workspaceNames: config.workspaces?.map((w) => w.name) ?? [config.workspaceName],
      // By name, as the topic policy admits them: an ARN from Fn::GetAtt would tie the dashboard to
      // each alarm resource (and an emulator that skips alarms could not resolve it).
      alarms: this.alarms.map((a) => cloudwatch.Alarm.fromAlarmName(this, `DashboardAlarm${a.name}`, a.name)),
      extraWidgets: this.reportFeedback ? [this.reportEmailWidget(this.reportFeedback)] : [],
    });
  }

  /** Fires at the configured cron time in the operator's time zone and hands the function exactly its two fields. */
  private createSchedule(config: StackConfig): Schedule {
    return new Schedule(this, 'WeeklySchedule', {
      description: `Number audit ${cronExpression(config.schedule)} ${config.timeZone}`,
      schedule: ScheduleExpression.cron({
        minute: config.schedule.minute,
        hour: config.schedule.hour,
        // ScheduleExpression.cron writes "?" for the day field that is left out.
        day: config.schedule.day === '?' ? undefined : config.schedule.day,
        weekDay: config.schedule.weekDay === '?' ? undefined : config.schedule.weekDay,
        month: config.schedule.month,
        year: config.schedule.year,
        timeZone: TimeZone.of(config.timeZone),
      }),
      // A report that lands "sometime in the next hour" is not the 09:00 report the operator chose.
      timeWindow: TimeWindow.off(),
      target: this.scheduleTarget(),
    });
  }

  private scheduleTarget(): LambdaInvoke | StepFunctionsStartExecution {
    const props = {
      role: this.schedulerRole.withoutPolicyUpdates(),
      // The handler accepts exactly these two fields from the schedule and rejects anything else.
      input: ScheduleTargetInput.fromObject({
        scheduledTime: ContextAttribute.scheduledTime,
        scheduleArn: ContextAttribute.scheduleArn,
      }),
      retryAttempts: DELIVERY.scheduleRetryAttempts,
      maxEventAge: DELIVERY.scheduleMaxEventAge,
      deadLetterQueue: this.scheduleDlq,
    };
    return this.fanOut
      ? new StepFunctionsStartExecution(this.fanOut.stateMachine, props)
      : new LambdaInvoke(this.fn.lambdaFunction, props);
  }

  /** What the README's commands need, from `aws cloudformation describe-stacks`. */
  private addOutputs(configurationSet: string | undefined): void {
    const { reports, latest, idempotency } = ARCHIVE_PREFIXES;
    const outputs: Record<string, [string, string]> = {
      FunctionName: [this.fn.lambdaFunction.functionName, 'Run on demand: aws lambda invoke --function-name <this>'],
      LogGroupName: [this.fn.logGroup.logGroupName, 'The function log: aws logs tail <this> --follow'],
      ScheduleName: [this.schedule.scheduleName, 'EventBridge Scheduler schedule (default group)'],
      AlarmTopicArn: [this.alarmTopic.topicArn, 'Alarm notifications; subscribe more endpoints here'],
      ScheduleDlqUrl: [this.scheduleDlq.queueUrl, 'Events the schedule could not deliver'],
      FailedRunsQueueUrl: [this.failureQueue.queueUrl, 'Runs that failed after every retry'],
      HistoryBucketName: [
        this.historyBucket.bucketName,
        `Run history (${reports}, ${latest}) and one-email-per-schedule claims (${idempotency}); kept after cdk destroy`,
      ],
      DashboardName: [this.stackName, 'CloudWatch dashboard: twelve weeks of figures and every alarm'],
    };
    if (configurationSet)
      outputs.SesConfigurationSetName = [configurationSet, 'The SES configuration set the report is sent with'];
    if (this.fanOut) {
      outputs.StateMachineArn = [
        this.fanOut.stateMachine.stateMachineArn,
        'Fan-out: aws stepfunctions start-execution --state-machine-arn <this> --input \'{"only": ["<client>"]}\'',
      ];
    }
    for (const [id, [value, description]] of Object.entries(outputs)) new CfnOutput(this, id, { value, description });
  }

  /**
   * The role EventBridge Scheduler assumes. Written out instead of letting the target build it:
   * Lambda's grantInvoke would add `<function>:*` (every version and alias), while the schedule only
   * ever invokes the unqualified function. Handed to the target immutable, so nothing is added.
   */
  private createSchedulerRole(): iam.Role {
    const role = new iam.Role(this, 'SchedulerRole', {
      description: 'EventBridge Scheduler: invoke the number audit function, dead-letter to its queue',
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: {
          StringEquals: {
            'aws:SourceAccount': this.account,
            'aws:SourceArn': this.formatArn({
              service: 'scheduler',
              resource: 'schedule-group',
              resourceName: 'default',
              arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
            }),
          },
        },
      }),
    });
    role.addToPolicy(
      this.fanOut
        ? new iam.PolicyStatement({
            sid: 'StartFanOut',
            actions: ['states:StartExecution'],
            resources: [this.fanOut.stateMachine.stateMachineArn],
          })
        : new iam.PolicyStatement({
            sid: 'InvokeAuditFunction',
            actions: ['lambda:InvokeFunction'],
            resources: [this.fn.lambdaFunction.functionArn],
          }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'DeadLetter',
        actions: ['sqs:SendMessage'],
        resources: [this.scheduleDlq.queueArn],
      }),
    );
    return role;
  }

  /** The function reads the secret through its own region's endpoint: an ARN elsewhere cannot work. */
  private checkRegion(config: StackConfig): void {
    if (Token.isUnresolved(this.region)) return;
    // [setting, what within it, ARN]
    const arns: Array<[string, string, string | undefined]> = [
      ['secret', '', config.workspaces ? undefined : secretArn(config.secret)],
      ['secretKmsKeyArn', '', config.secretKmsKeyArn],
    ];
    config.workspaces?.forEach((w, i) => {
      const where = `entry ${i + 1} ("${w.name}"): `;
      arns.push(
        ['workspaces', `${where}secretId `, secretArn(w.secret)],
        ['workspaces', `${where}secretKmsKeyArn `, w.secretKmsKeyArn],
      );
    });
    for (const [key, what, arn] of arns) {
      const region = arn?.split(':')[3];
      if (region && region !== this.region) {
        throw new ConfigError(
          key,
          `${what}is in ${region} but the stack deploys to ${this.region}; deploy to ${region} or use a secret in ${this.region}`,
        );
      }
    }
  }

  private deadLetterQueue(id: string, holds: string): sqs.Queue {
    const queue = new sqs.Queue(this, id, {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // The longest SQS allows: time to notice the alarm, read the message and re-run by hand.
      retentionPeriod: Duration.days(14),
    });
    // On the CfnQueue itself, not the construct, so the acknowledgment covers that one resource.
    Validations.of(queue.node.defaultChild as sqs.CfnQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: `This queue is itself a dead-letter queue (${holds}); a DLQ for a DLQ would only move the problem.`,
    });
    return queue;
  }

  private createAlarmTopic(config: StackConfig): sns.Topic {
    const topic = new sns.Topic(this, 'AlarmTopic', {
      displayName: 'Number Audit alarms',
      // Publishers must use TLS (cdk-nag SNS3). No SSE: CloudWatch alarms cannot publish to a topic
      // under the AWS managed aws/sns key, and alarm texts carry no data a KMS key would protect.
      enforceSSL: true,
    });
    if (config.alarmEmail) topic.addSubscription(new EmailSubscription(config.alarmEmail));
    return topic;
  }

  /**
   * The topic policy that enforceSSL creates replaces SNS's default one, so CloudWatch needs an
   * explicit allow: for this account's alarms of this stack, each by its full ARN. A pattern such as
   * `alarm:NumberAudit-*` would also admit every alarm of a stack named `NumberAudit-Staging`.
   * Built from the names the alarms were given (not Fn::GetAtt) so the ARNs read as literals.
   */
  private admitAlarms(alarmNames: readonly string[]): void {
    this.alarmTopic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowThisStacksAlarms',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.alarmTopic.topicArn],
        conditions: {
          ArnEquals: {
            'aws:SourceArn': alarmNames.map((name) =>
              this.formatArn({
                service: 'cloudwatch',
                resource: 'alarm',
                resourceName: name,
                arnFormat: ArnFormat.COLON_RESOURCE_NAME,
              }),
            ),
          },
          StringEquals: { 'aws:SourceAccount': this.account },
        },
      }),
    );
  }

  /** One alarm on the topic, named with the stack's prefix: the topic policy admits exactly these names. */
  private addAlarm(id: string, description: string, metric: cloudwatch.IMetric): void {
    const name = `${this.stackName}-${id}`;
    const alarm = new cloudwatch.Alarm(this, id, {
      alarmName: name,
      alarmDescription: description,
      metric,
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      // A weekly job has no data most of the time; silence is not a failure.
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(new SnsAction(this.alarmTopic));
    this.alarms.push({ name, alarm });
  }

  private createAlarms(config: StackConfig): void {
    const period = Duration.minutes(5);
    this.addAlarm(
      'FunctionErrors',
      'The number audit function failed (each attempt counts; see its log group).',
      this.fn.lambdaFunction.metricErrors({ period, statistic: cloudwatch.Stats.SUM }),
    );
    this.addAlarm(
      'ScheduleDlqMessages',
      'EventBridge Scheduler could not invoke the audit function; the event is in the schedule DLQ.',
      this.scheduleDlq.metricApproximateNumberOfMessagesVisible({ period, statistic: cloudwatch.Stats.MAXIMUM }),
    );
    this.addAlarm(
      'FailedRunMessages',
      'An audit run failed after all retries; the event is in the failed-runs queue.',
      this.failureQueue.metricApproximateNumberOfMessagesVisible({ period, statistic: cloudwatch.Stats.MAXIMUM }),
    );
    if (this.fanOut) {
      this.addAlarm(
        'FailedExecutions',
        'A fan-out execution failed (plan or roll-up); the Step Functions console shows the step and its error.',
        this.fanOut.stateMachine.metricFailed({ period, statistic: cloudwatch.Stats.SUM }),
      );
    }
    for (const [metricName, description] of [...EMF_ALARMS, ...(config.publishEvents ? [EVENT_ALARM] : [])]) {
      const metric = new cloudwatch.Metric({
        namespace: AUDIT_METRICS.namespace,
        metricName,
        dimensionsMap: { service: AUDIT_METRICS.service },
        period,
        statistic: cloudwatch.Stats.SUM,
      });
      this.addAlarm(metricName, description, metric);
    }
    if (this.reportFeedback) {
      this.addAlarm(
        'ReportBounced',
        'The report bounced or a recipient marked it as spam: someone stopped receiving it. ' +
          "The sender's mailbox has SES's bounce notice naming the address (docs/operations.md).",
        this.reportFeedback.bouncesAndComplaints(period),
      );
    }
  }

  /** What SES reported about the report's delivery, on the dashboard next to the run's figures. */
  private reportEmailWidget(feedback: ReportFeedback): cloudwatch.GraphWidget {
    return new cloudwatch.GraphWidget({
      title: 'Report email (SES events)',
      width: 8,
      left: REPORT_EMAIL_EVENTS.map((event) => feedback.metric(event, Duration.days(1))),
      leftYAxis: { min: 0 },
    });
  }
}

/** Every secret the function reads, with the KMS key that encrypts it (when not aws/secretsmanager). */
export function workspaceSecrets(config: StackConfig): Array<{ secret: SecretRef; kmsKeyArn?: string }> {
  return config.workspaces
    ? config.workspaces.map((w) => ({ secret: w.secret, kmsKeyArn: w.secretKmsKeyArn }))
    : [{ secret: config.secret, kmsKeyArn: config.secretKmsKeyArn }];
}

function secretArn(secret: SecretRef): string | undefined {
  return secret.kind === 'arn' ? secret.arn : undefined;
}

/** The IAM resource that matches exactly this secret. */
export function secretPolicyArn(stack: Stack, secret: SecretRef): string {
  if (secret.kind === 'arn') return secret.complete ? secret.arn : `${secret.arn}-??????`;
  // Secrets Manager appends "-" and 6 random characters to every secret's ARN; `?` matches one
  // character each, so this matches this name and no longer one.
  return stack.formatArn({
    service: 'secretsmanager',
    resource: 'secret',
    resourceName: `${secret.name}-??????`,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
}
