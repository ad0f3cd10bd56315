// Fan-out mode (docs/agencies.md): a Step Functions Standard state machine plans the run from the
// workspace registry, audits each client in a Distributed Map (one workspace task each, looping
// while a long listing continues) and ends with the roll-up email. Its role, and each task's, may
// do only what that step needs.
import * as path from 'node:path';
import { ArnFormat, type CfnElement, Duration, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { ARCHIVE_PREFIXES, FAN_OUT_KEYS } from '../lambda/adapters/archive/layout';
import { MAX_CONTINUATIONS } from '../lambda/core/fan-out';
import type { PlanEvent, RollUpEvent } from '../lambda/handler/roll-up-task';
import { RUN_EVENT } from '../lambda/handler/run-event';
import { SETTINGS, secretIdOf } from '../lambda/settings';
import { AuditFunction, type AuditFunctionProps } from './audit-function';
import type { StackConfig } from './config';
import type { HistoryBucket } from './history-bucket';

const HANDLERS = path.join(__dirname, '..', 'lambda', 'handler');
/** The plan step and the roll-up: one function, told apart by the event's `phase`. */
export const ROLL_UP_ENTRY = path.join(HANDLERS, 'roll-up-task.ts');
export const WORKSPACE_TASK_ENTRY = path.join(HANDLERS, 'workspace-task.ts');

/** The fan-out functions are handed their workspace in each event: no list in the environment. */
export function fanOutEnvironment(environment: Record<string, string>): Record<string, string> {
  const { [SETTINGS.workspaces.env]: _list, ...rest } = environment;
  return rest;
}

/** The state names the docs, the local execution test and the bench refer to. */
export const FAN_OUT_STATES = {
  plan: 'Plan',
  nothingToDo: 'AlreadySent',
  clients: 'Clients',
  audit: 'AuditWorkspace',
  /** The workspace task again, to write the summary of a client whose task was caught failing. */
  recordFailure: 'RecordFailure',
  rollUp: 'RollUp',
} as const;

export interface FanOutProps {
  config: StackConfig;
  bucket: HistoryBucket;
  /** The plan + roll-up function (the stack's `fn` in fan-out mode). */
  rollUp: AuditFunction;
  /** The workspace task's function settings: those of the roll-up function. */
  functionProps: AuditFunctionProps;
  /** The operator's or the stack's own (ReportFeedback): every email of the run is sent with it. */
  configurationSet?: string;
}

export class FanOut extends Construct {
  readonly workspaceTask: AuditFunction;
  readonly stateMachine: sfn.StateMachine;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: FanOutProps) {
    super(scope, id);
    const { config, bucket, rollUp, configurationSet } = props;
    this.workspaceTask = new AuditFunction(this, 'WorkspaceTask', {
      ...props.functionProps,
      entry: WORKSPACE_TASK_ENTRY,
      description: 'Number audit fan-out: one client workspace per invocation',
    });
    this.grantWorkspaceSecrets(config);
    this.workspaceTask.grantSendEmail(config.sender, config.allowedRecipientDomains, configurationSet);
    this.workspaceTask.grantHistoryAccess(bucket, [
      ...Object.values(ARCHIVE_PREFIXES),
      FAN_OUT_KEYS.summaries,
      FAN_OUT_KEYS.checkpoints,
    ]);
    grantRead(this.workspaceTask, bucket, 'RunRegistry', [FAN_OUT_KEYS.runs]);
    rollUp.grantSendEmail(config.sender, config.allowedRecipientDomains, configurationSet);
    // One run event per execution, put by the roll-up alone.
    if (config.publishEvents) rollUp.grantPutRunEvents(RUN_EVENT.source);
    rollUp.grantHistoryAccess(bucket, [ARCHIVE_PREFIXES.idempotency, FAN_OUT_KEYS.runs]);
    grantRead(rollUp, bucket, 'RegistryAndSummaries', [FAN_OUT_KEYS.registry, FAN_OUT_KEYS.summaries]);

    this.logGroup = new logs.LogGroup(this, 'ExecutionLog', {
      retention: config.logRetentionDays,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      comment: 'Number audit fan-out: plan, one task per client workspace, roll-up email',
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromChainable(this.definition(config, rollUp)),
      // Execution data stays out of the log: it names the clients and their secrets.
      logs: { destination: this.logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
      tracingEnabled: true,
      timeout: Duration.hours(12),
    });
    this.acknowledgeStateMachineRole(rollUp);
  }

  private definition(config: StackConfig, rollUp: AuditFunction): sfn.IChainable {
    const plan = this.rollUpStep(
      FAN_OUT_STATES.plan,
      rollUp,
      {
        phase: 'plan',
        executionName: sfn.JsonPath.stringAt('$$.Execution.Name'),
        input: sfn.JsonPath.objectAt('$$.Execution.Input'),
        ...(config.workspaces
          ? {
              contextWorkspaces: config.workspaces.map((w) => ({
                name: w.name,
                secretId: secretIdOf(w.secret),
                secretField: w.secretField,
              })),
            }
          : {}),
      },
      { resultPath: '$.plan' },
    );
    // The items are indices into the run's registry copy, and the clients' outcomes are their
    // summaries in S3: the state payload stays small at MAX_REGISTRY_ENTRIES (no ItemReader or
    // ResultWriter, which the local execution test's engine cannot run).
    const clients = new sfn.DistributedMap(this, FAN_OUT_STATES.clients, {
      itemsPath: '$.plan.items',
      itemSelector: {
        index: sfn.JsonPath.numberAt('$$.Map.Item.Value'),
        runKey: sfn.JsonPath.stringAt('$.plan.runKey'),
        registryVersion: sfn.JsonPath.stringAt('$.plan.registryVersion'),
        continuations: 0,
      },
      maxConcurrency: config.fanOutConcurrency,
      // A client's failure is a row of the roll-up, not the run's failure.
      toleratedFailurePercentage: 100,
      resultPath: sfn.JsonPath.DISCARD,
    });
    clients.itemProcessor(this.clientSteps(config));
    const roll = this.rollUpStep(FAN_OUT_STATES.rollUp, rollUp, {
      phase: 'roll-up',
      runKey: sfn.JsonPath.stringAt('$.plan.runKey'),
      rollUp: sfn.JsonPath.stringAt('$.plan.rollUp'),
      // The schedule's time, for the run event.
      input: sfn.JsonPath.objectAt('$$.Execution.Input'),
    });
    roll.addRetry({ errors: ['RunInProgressError'], interval: Duration.seconds(30), maxAttempts: 3 });
    return plan.next(
      new sfn.Choice(this, 'SentBefore')
        .when(sfn.Condition.booleanEquals('$.plan.skip', true), new sfn.Succeed(this, FAN_OUT_STATES.nothingToDo))
        .otherwise(clients.next(roll)),
    );
  }

  /** A step of the plan + roll-up function, which tells the two apart by the event's `phase`. */
  private rollUpStep(
    id: string,
    rollUp: AuditFunction,
    payload: { phase: (PlanEvent | RollUpEvent)['phase'] } & Record<string, unknown>,
    props: Pick<tasks.LambdaInvokeProps, 'resultPath'> = {},
  ): tasks.LambdaInvoke {
    return new tasks.LambdaInvoke(this, id, {
      lambdaFunction: rollUp.lambdaFunction,
      payload: sfn.TaskInput.fromObject(payload),
      payloadResponseOnly: true,
      ...props,
    });
  }

  /** One client: the task, again while its listing continues (bounded), a caught failure as a result. */
  private clientSteps(config: StackConfig): sfn.IChainable {
    const audit = new tasks.LambdaInvoke(this, FAN_OUT_STATES.audit, {
      lambdaFunction: this.workspaceTask.lambdaFunction,
      payloadResponseOnly: true,
      // Lambda's own timeout ends the invocation first; this only bounds a lost one.
      taskTimeout: sfn.Timeout.duration(Duration.seconds(config.functionTimeoutSeconds + 60)),
    });
    // Another invocation is sending this client's email: wait it out.
    audit.addRetry({ errors: ['RunInProgressError'], interval: Duration.seconds(30), maxAttempts: 3 });
    // Every child ends with `{}`: even gathered before the Map discards them, 10,000 results are 30 KB.
    const failed = new sfn.Pass(this, 'ClientFailed', { result: sfn.Result.fromObject({}) });
    // The caught error becomes the client's summary (the roll-up lists it); if even that fails, the
    // missing summary says the client failed.
    const record = new tasks.LambdaInvoke(this, FAN_OUT_STATES.recordFailure, {
      lambdaFunction: this.workspaceTask.lambdaFunction,
      payloadResponseOnly: true,
    });
    record.addCatch(failed);
    record.next(failed);
    audit.addCatch(record, { resultPath: '$.caught' });
    const again = new sfn.Pass(this, 'ContinueListing', {
      parameters: {
        runKey: sfn.JsonPath.stringAt('$.runKey'),
        registryVersion: sfn.JsonPath.stringAt('$.registryVersion'),
        index: sfn.JsonPath.numberAt('$.index'),
        continuations: sfn.JsonPath.mathAdd(sfn.JsonPath.numberAt('$.continuations'), 1),
      },
    });
    again.next(audit);
    const tooLong = new sfn.Pass(this, 'TooManyContinuations', {
      result: sfn.Result.fromObject({
        Error: 'ContinuationLimit',
        Cause: `the listing did not finish within ${MAX_CONTINUATIONS + 1} invocations`,
      }),
      resultPath: '$.caught',
    }).next(record);
    return audit.next(
      new sfn.Choice(this, 'ListingDone')
        .when(
          sfn.Condition.and(
            sfn.Condition.stringEquals('$.status', 'continue'),
            sfn.Condition.numberLessThan('$.continuations', MAX_CONTINUATIONS),
          ),
          again,
        )
        .when(sfn.Condition.stringEquals('$.status', 'continue'), tooLong)
        .otherwise(new sfn.Pass(this, 'ClientDone', { result: sfn.Result.fromObject({}) })),
    );
  }

  /** GetSecretValue on the secrets whose names start with the prefix (the registry may grow without a deploy). */
  private grantWorkspaceSecrets(config: StackConfig): void {
    const stack = Stack.of(this);
    const arn = stack.formatArn({
      service: 'secretsmanager',
      resource: 'secret',
      resourceName: `${config.workspaceSecretPrefix}*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    const grant = this.workspaceTask.grantSecretRead([{ arn, kmsKeyArn: config.secretKmsKeyArn }]);
    for (const statement of grant.principalStatements) statement.sid = 'ReadClientKeysByPrefix';
    Validations.of(this.workspaceTask.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${nagArnHead(stack, 'secretsmanager')}:secret:${config.workspaceSecretPrefix}*]`,
      reason:
        'The registry lists hundreds of clients and changes without a deploy; the task may read exactly the secrets ' +
        'under the configured name prefix (workspaceSecretPrefix), and never lists secrets.',
    });
  }

  /**
   * The role Step Functions made: invoke the two functions (CDK also grants their versions, `:*`),
   * run the Distributed Map's child executions, write its log deliveries and X-Ray traces.
   */
  private acknowledgeStateMachineRole(rollUp: AuditFunction): void {
    const policy = this.stateMachine.role.node.tryFindChild('DefaultPolicy');
    if (policy === undefined) return;
    const stack = Stack.of(this);
    const fnArn = (fn: AuditFunction) =>
      `<${stack.getLogicalId(fn.lambdaFunction.node.defaultChild as CfnElement)}.Arn>:*`;
    const reasons: Array<[string, string]> = [
      [
        `Resource::${fnArn(rollUp)}`,
        'aws-cdk-lib grants every version of the plan/roll-up function; the state machine invokes only the unqualified one.',
      ],
      [
        `Resource::${fnArn(this.workspaceTask)}`,
        'aws-cdk-lib grants every version of the workspace task; the state machine invokes only the unqualified one.',
      ],
      ['Resource::*', 'CloudWatch Logs log delivery and X-Ray PutTraceSegments accept no narrower resource.'],
    ];
    for (const [applies, reason] of reasons) {
      Validations.of(policy).acknowledge({ id: `AwsSolutions-IAM5[${applies}]`, reason });
    }
    const mapPolicy = this.stateMachine.node.tryFindChild('DistributedMapPolicy');
    if (mapPolicy === undefined) return;
    // The state machine's name, as aws-cdk-lib writes it into the ARN (the 7th field of its own ARN).
    const name = JSON.stringify({
      'Fn::Select': [
        6,
        { 'Fn::Split': [':', { Ref: stack.getLogicalId(this.stateMachine.node.defaultChild as CfnElement) }] },
      ],
    });
    const execution = `${nagArnHead(stack, 'states')}:execution:${name}`;
    for (const suffix of [':*', '/*:*']) {
      Validations.of(mapPolicy).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${execution}${suffix}]`,
        reason:
          "The Distributed Map describes and stops its own child executions, named by Step Functions at run time; only this state machine's.",
      });
    }
  }
}

/** An ARN's head as cdk-nag prints it: what synth knows (the CLI always sets a region) as is, the rest as `<AWS::X>`. */
function nagArnHead(stack: Stack, service: string): string {
  const shown = (value: string, pseudo: string) => (Token.isUnresolved(value) ? `<AWS::${pseudo}>` : value);
  return `arn:${shown(stack.partition, 'Partition')}:${service}:${shown(stack.region, 'Region')}:${shown(stack.account, 'AccountId')}`;
}

/** GetObject only, on these keys and prefixes (ending in `/`). */
function grantRead(fn: AuditFunction, bucket: HistoryBucket, sid: string, keys: readonly string[]): void {
  const asResource = (key: string) => (key.endsWith('/') ? `${key}*` : key);
  const policy = new iam.Policy(fn, 'FanOutRead', {
    roles: [fn.role],
    statements: [
      new iam.PolicyStatement({
        sid,
        actions: ['s3:GetObject'],
        resources: keys.map((key) => bucket.arnForObjects(asResource(key))),
      }),
    ],
  });
  fn.lambdaFunction.node.defaultChild?.node.addDependency(policy);
  const bucketArn = `<${Stack.of(bucket).getLogicalId(bucket.node.defaultChild as CfnElement)}.Arn>`;
  for (const key of keys.filter((k) => k.endsWith('/'))) {
    Validations.of(policy.node.defaultChild as CfnElement).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${bucketArn}/${key}*]`,
      reason: `Read-only: objects under ${key} are named by the run key (and client), known only at run time.`,
    });
  }
}
