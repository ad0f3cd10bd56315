// The audit Lambda as one construct that owns everything it runs with: the function, its execution
// role and its log group are its children, and the defaults are baked in (newest Node runtime
// cdk-nag's L1 rule accepts, arm64, a local esbuild bundle (no Docker) minified with source maps).
// The role starts with nothing but writing that log group; each grant method adds one permission
// the stack decides on, so the function's whole policy is written in this file.
import * as path from 'node:path';
import { type BuildOptions, buildSync } from 'esbuild';
import {
  ArnFormat,
  AssetStaging,
  type CfnElement,
  type Duration,
  RemovalPolicy,
  Stack,
  Validations,
} from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { type BundlingOptions, LogLevel, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { INVENTORY_PREFIX } from '../lambda/adapters/archive/layout';

/** Where the handler lives; `handler` is its export. */
export const HANDLER_ENTRY = path.join(__dirname, '..', 'lambda', 'handler', 'index.ts');

/**
 * What the single function's index.ts requires on its first invocation (the run's code), bundled as
 * a file of its own next to index.js: Node compiles, and with --enable-source-maps maps, a file whole
 * at load however lazily its modules initialize, so cold start only pays for the smaller index.js.
 */
export const RUN_HANDLER_ENTRY = path.join(__dirname, '..', 'lambda', 'handler', 'run-handler.ts');

/** esbuild options every bundle of the function is built with (the stack's and the bench's rebuilds). */
export const BUNDLE_OPTIONS = {
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
} as const;

/** The modules left to the runtime: its own AWS SDK copy unless the SDK is bundled. */
export function sdkExternals(bundleAwsSdk: boolean): string[] {
  return bundleAwsSdk ? [] : ['@aws-sdk/*'];
}

/** esbuild target for a Lambda runtime (nodejs24.x: node24). */
export function esbuildTarget(runtime: Runtime): string {
  return runtime.name.replace(/^nodejs(\d+).*$/, 'node$1');
}

/** BUNDLE_OPTIONS as esbuild's own options, for a build outside NodejsFunction (the deferred module, the bench). */
export function esbuildOptions(externals: readonly string[], minify: boolean = BUNDLE_OPTIONS.minify): BuildOptions {
  return {
    bundle: true,
    target: esbuildTarget(AUDIT_RUNTIME),
    platform: 'node',
    format: BUNDLE_OPTIONS.format,
    minify,
    keepNames: BUNDLE_OPTIONS.keepNames,
    mainFields: [...BUNDLE_OPTIONS.mainFields],
    sourcemap: BUNDLE_OPTIONS.sourceMap,
    sourcesContent: BUNDLE_OPTIONS.sourcesContent,
    external: [...externals],
    logLevel: LogLevel.WARNING,
  };
}

/**
 * Bundles `entry` into outputDir under its own name, as BUNDLE_OPTIONS say, through esbuild's API
 * rather than a command line: no shell and no binary path to quote, so the same on every OS.
 */
export function bundleDeferred(entry: string, outputDir: string, externals: readonly string[]): void {
  buildSync({
    ...esbuildOptions(externals),
    entryPoints: [entry],
    outfile: path.join(outputDir, `${moduleName(entry)}.js`),
  });
}

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
  /**
   * The log group's logical id in stacks deployed before this construct owned it: a new id would
   * make an update create a second group and delete the old one with its logs and filters.
   */
  logGroupLogicalId?: string;
  /** The handler file (export `handler`); default the single function's HANDLER_ENTRY. */
  entry?: string;
  /**
   * A module the entry requires only on its first invocation, bundled next to index.js; default
   * RUN_HANDLER_ENTRY for the single function, none for any other entry.
   */
  deferredEntry?: string;
}

function moduleName(entry: string): string {
  return path.basename(entry, path.extname(entry));
}

/** Said when CDK would fall back to Docker, which this stack never uses (forceDockerBundling is off). */
export const DOCKER_BUNDLING_UNSUPPORTED =
  'echo "number-audit: the function bundles locally only (run-handler.js is built with esbuild in synth); install the dev dependencies" >&2 && exit 1';

/**
 * The after-bundling hook: builds the deferred module in synth's own process (no shell command) when
 * CDK bundles locally. CDK also asks for the Docker command (outputDir /asset-output) while it
 * constructs the bundling, even when it then bundles locally: that call writes nothing, and returns
 * a command that fails loudly should Docker ever run it.
 */
export function deferredBundling(
  deferred: string | undefined,
  outputDir: string,
  externals: readonly string[],
): string[] {
  if (deferred === undefined) return [];
  if (outputDir === AssetStaging.BUNDLING_OUTPUT_DIR) return [DOCKER_BUNDLING_UNSUPPORTED];
  bundleDeferred(deferred, outputDir, externals);
  return [];
}

/** index.js as BUNDLE_OPTIONS say, and the deferred module (if any) built the same way beside it. */
function bundlingOf(props: AuditFunctionProps): BundlingOptions {
  const deferred = props.deferredEntry ?? (props.entry === undefined ? RUN_HANDLER_ENTRY : undefined);
  const externals = sdkExternals(props.bundleAwsSdk);
  return {
    ...BUNDLE_OPTIONS,
    mainFields: [...BUNDLE_OPTIONS.mainFields],
    forceDockerBundling: false,
    bundleAwsSDK: props.bundleAwsSdk,
    // The require of the deferred module stays a require, of the file built beside index.js.
    externalModules: deferred ? [`./${moduleName(deferred)}`, ...externals] : externals,
    // esbuild's size summary is noise in `cdk synth`; warnings and errors still show.
    logLevel: LogLevel.WARNING,
    commandHooks: {
      beforeBundling: () => [],
      beforeInstall: () => [],
      afterBundling: (_inputDir, outputDir) => deferredBundling(deferred, outputDir, externals),
    },
  };
}

/** A secret the function reads, as the IAM resource that matches it, and the key that encrypts it. */
export interface SecretGrant {
  arn: string;
  /** Only for a customer managed key; `aws/secretsmanager` needs no grant. */
  kmsKeyArn?: string;
}

export class AuditFunction extends Construct implements iam.IGrantable {
  readonly lambdaFunction: NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;
  readonly grantPrincipal: iam.IPrincipal;

  constructor(scope: Construct, id: string, props: AuditFunctionProps) {
    super(scope, id);
    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      retention: props.logRetention,
      // Logs are operational only (the report itself goes out by email): `cdk destroy` removes them.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    if (props.logGroupLogicalId)
      (this.logGroup.node.defaultChild as logs.CfnLogGroup).overrideLogicalId(props.logGroupLogicalId);
    // A role of our own instead of AWSLambdaBasicExecutionRole, which allows writing to every log
    // group in the account (cdk-nag IAM4).
    this.role = new iam.Role(this, 'ServiceRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Number Audit function: writes its own log group; other grants are added by the stack',
    });
    this.grantPrincipal = this.role;
    // 'Default' leaves the id out of logical ids: the function, and what hangs off it, keep the ids
    // they had before this construct wrapped them, so a deploy updates the function in place.
    this.lambdaFunction = new NodejsFunction(this, 'Default', {
      entry: props.entry ?? HANDLER_ENTRY,
      handler: 'handler',
      runtime: AUDIT_RUNTIME,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize,
      timeout: props.timeout,
      description: props.description,
      role: this.role,
      logGroup: this.logGroup,
      environment: { ...props.environment, ...RUNTIME_ENVIRONMENT },
      bundling: bundlingOf(props),
    });
    // logs:CreateLogStream + logs:PutLogEvents on this log group (and its streams) only.
    this.logGroup.grantWrite(this);
  }

  /**
   * GetSecretValue on exactly these secrets, and Decrypt on their customer managed keys only when
   * Secrets Manager asks on the function's behalf, never directly.
   */
  grantSecretRead(secrets: readonly SecretGrant[]): iam.Grant {
    const read = this.grantNamed('ReadDialNexaKey', {
      actions: ['secretsmanager:GetSecretValue'],
      // Two workspaces may share one secret (a field each): one resource per secret.
      resourceArns: [...new Set(secrets.map((s) => s.arn))],
    });
    const kmsKeys = [...new Set(secrets.flatMap((s) => (s.kmsKeyArn ? [s.kmsKeyArn] : [])))];
    if (!kmsKeys.length) return read;
    const viaService = `secretsmanager.${Stack.of(this).region}.amazonaws.com`;
    return read.combine(
      this.grantNamed('DecryptDialNexaKey', {
        actions: ['kms:Decrypt'],
        resourceArns: kmsKeys,
        conditions: { StringEquals: { 'kms:ViaService': viaService } },
      }),
    );
  }

  /**
   * SendRawEmail on the sender's identities only. SES authorizes against whichever identity is
   * verified - the address itself or its domain - so both are listed; the FromAddress condition
   * keeps a domain identity from letting the function send as anyone else at that domain.
   *
   * Every recipient (ses:Recipients: To, Cc and Bcc) must be at one of `recipientDomains`, so whoever
   * may invoke the function cannot mail the inventory anywhere else. `*@<domain>` matches that
   * domain and no subdomain; StringLike is case-sensitive, so the domains are given, and sent to, in
   * lower case. ForAllValues holds for a request with no recipients at all, hence the Null condition.
   */
  grantSendEmail(sender: string, recipientDomains: readonly string[], configurationSet?: string): iam.Grant {
    const domain = sender.slice(sender.lastIndexOf('@') + 1);
    const sesArn = (resource: string, resourceName: string): string =>
      Stack.of(this).formatArn({ service: 'ses', resource, resourceName, arnFormat: ArnFormat.SLASH_RESOURCE_NAME });
    const resourceArns = [sesArn('identity', sender), sesArn('identity', domain)];
    if (configurationSet) resourceArns.push(sesArn('configuration-set', configurationSet));
    return this.grantNamed('SendReportEmail', {
      actions: ['ses:SendRawEmail'],
      resourceArns,
      conditions: {
        StringEquals: { 'ses:FromAddress': sender },
        'ForAllValues:StringLike': { 'ses:Recipients': recipientDomains.map((domain) => `*@${domain}`) },
        Null: { 'ses:Recipients': 'false' },
      },
    });
  }

  /**
   * GetObject + PutObject under each prefix, and ListBucket on the bucket. ListBucket is there so
   * that reading a key that does not exist yet (first run, first claim) answers 404 NoSuchKey
   * instead of 403 AccessDenied. It is deliberately unconditioned: S3 checks it on behalf of the
   * GetObject request, which carries no s3:prefix, so an s3:prefix condition would never match and
   * every missing key would read as 403 again. No DeleteObject: expiry is the lifecycle rules' job.
   *
   * A policy of its own rather than an iam.Grant: the prefix wildcards need a cdk-nag acknowledgment
   * each, recorded on exactly the policy resource that holds them.
   */
  grantHistoryAccess(bucket: s3.Bucket, prefixes: readonly string[]): iam.Policy {
    const policy = new iam.Policy(this, 'HistoryAccess', {
      roles: [this.role],
      statements: [
        new iam.PolicyStatement({
          sid: 'HistoryObjects',
          actions: ['s3:GetObject', 's3:PutObject'],
          resources: prefixes.map((prefix) => bucket.arnForObjects(`${prefix}*`)),
        }),
        new iam.PolicyStatement({
          sid: 'InventoryRead',
          actions: ['s3:GetObject'],
          resources: [bucket.arnForObjects(`${INVENTORY_PREFIX}*`)],
        }),
        new iam.PolicyStatement({
          sid: 'HistoryMissingKeyIs404',
          actions: ['s3:ListBucket'],
          resources: [bucket.bucketArn],
        }),
      ],
    });
    // Like the role's own policy: in place before the function is created or updated.
    this.lambdaFunction.node.defaultChild?.node.addDependency(policy);

    const bucketArn = `<${Stack.of(bucket).getLogicalId(bucket.node.defaultChild as CfnElement)}.Arn>`;
    for (const prefix of prefixes) {
      Validations.of(policy.node.defaultChild as CfnElement).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${bucketArn}/${prefix}*]`,
        reason:
          `Prefix-scoped: objects under ${prefix} of this stack's own history bucket, whose keys (workspace, date, run id, ` +
          'schedule hash) are only known at run time; the rest of the bucket stays out of reach.',
      });
    }
    Validations.of(policy.node.defaultChild as CfnElement).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${bucketArn}/${INVENTORY_PREFIX}*]`,
      reason:
        `Read-only, prefix-scoped: each workspace's inventory CSV under ${INVENTORY_PREFIX} of this stack's own history ` +
        'bucket, named by the workspace slug known only at run time.',
    });
    return policy;
  }

  /**
   * PutEvents on the account's default bus only, and only for events whose source is `source`: the
   * function cannot pose as another application on the bus rules route from.
   */
  grantPutRunEvents(source: string): iam.Grant {
    return this.grantNamed('PutRunEvents', {
      actions: ['events:PutEvents'],
      resourceArns: [
        Stack.of(this).formatArn({
          service: 'events',
          resource: 'event-bus',
          resourceName: 'default',
          arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
        }),
      ],
      // events:source is multivalued (ArrayOfString in the Service Authorization Reference): every
      // entry's source must match, and Null refuses a request that names none.
      conditions: { 'ForAllValues:StringEquals': { 'events:source': [source] }, Null: { 'events:source': 'false' } },
    });
  }

  /** iam.Grant.addToPrincipal has no Sid option; the Sid names the statement in the policy document. */
  private grantNamed(sid: string, options: Omit<iam.GrantOnPrincipalOptions, 'grantee'>): iam.Grant {
    const grant = iam.Grant.addToPrincipal({ ...options, grantee: this });
    for (const statement of grant.principalStatements) statement.sid = sid;
    return grant;
  }
}
