// The audit Lambda with its defaults baked in, so the stack reads as a list of decisions: newest
// Node runtime cdk-nag's L1 rule accepts, arm64, a local esbuild bundle (no Docker) minified with
// source maps, its own log group, and an execution role that may only write to that log group.
import * as path from 'node:path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction, OutputFormat, type NodejsFunctionProps } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';

/** Where the handler lives; `handler` is its export. */
export const HANDLER_ENTRY = path.join(__dirname, '..', 'lambda', 'handler', 'index.ts');

/** cdk-nag AwsSolutions-L1 demands the newest `nodejs*` runtime aws-cdk-lib knows; today that is 24. */
export const AUDIT_RUNTIME = Runtime.NODEJS_24_X;

/** Added to every environment: stack traces point into the TypeScript sources through the source map. */
export const RUNTIME_ENVIRONMENT = { NODE_OPTIONS: '--enable-source-maps' } as const;

export interface AuditFunctionProps {
  environment: Record<string, string>;
  memorySize: number;
  timeout: Duration;
  logRetention: logs.RetentionDays;
  /**
   * true: the AWS SDK v3 is bundled (a version we tested, a bigger asset). false: it is left to
   * the runtime's copy (smaller asset, faster bundling, SDK version chosen by Lambda).
   */
  bundleAwsSdk: boolean;
  description?: string;
}

export class AuditFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: AuditFunctionProps) {
    // The log group and role are siblings of the function: they must exist before super() runs.
    const logGroup = new logs.LogGroup(scope, `${id}Logs`, {
      retention: props.logRetention,
      // Logs are operational only (the report itself goes out by email): `cdk destroy` removes them.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // A role of our own instead of AWSLambdaBasicExecutionRole, which allows writing to every log
    // group in the account (cdk-nag IAM4).
    const role = new iam.Role(scope, `${id}Role`, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Number Audit function: writes its own log group; other grants are added by the stack',
    });

    const functionProps: NodejsFunctionProps = {
      entry: HANDLER_ENTRY,
      handler: 'handler',
      runtime: AUDIT_RUNTIME,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize,
      timeout: props.timeout,
      description: props.description,
      role,
      logGroup,
      environment: { ...props.environment, ...RUNTIME_ENVIRONMENT },
      bundling: {
        forceDockerBundling: false,
        format: OutputFormat.CJS,
        minify: true,
        // Minifying renames classes; errors name themselves after their class (ConfigError, ...), and
        // that name is what the logs, the alarm trail and the Lambda console show.
        keepNames: true,
        // ESM builds first: esbuild can tree-shake the AWS SDK's dist-es, not its single-file dist-cjs.
        mainFields: ['module', 'main'],
        sourceMap: true,
        // Mappings are enough for readable stack traces; the sources themselves only add weight.
        sourcesContent: false,
        bundleAwsSDK: props.bundleAwsSdk,
        // esbuild's size summary is noise in `cdk synth`; warnings and errors still show.
        logLevel: LogLevel.WARNING,
      },
    };
    super(scope, id, functionProps);

    // logs:CreateLogStream + logs:PutLogEvents on this log group (and its streams) only.
    logGroup.grantWrite(role);
  }
}
