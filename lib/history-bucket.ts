// The run history, latest-run pointers and one-email-per-schedule claims, in one private bucket.
// Versioning is off: run folders are written once under a fresh run id, and the two kinds of object
// that are replaced (pointers, claims) are replaced only by conditional writes, which already fence
// concurrent writers; old versions would be kept, billed and never read. Retained on `cdk destroy`:
// the history is the record of past audits and outlives any one deployment.
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';

/** The bucket's top-level folders (lambda/adapters/archive/layout.ts), the only places the function may use. */
export const HISTORY_PREFIXES = {
  /** reports/<workspace>/<yyyy>/<mm>/<dd>/<run-id>/: one folder per run, written once. */
  reports: 'reports/',
  /** latest/<workspace>.json: the latest complete run, replaced by a conditional write. */
  latest: 'latest/',
  /** idempotency/<key>.json: one claim per schedule time (one email per scheduled run). */
  idempotency: 'idempotency/',
} as const;

/** A claim only has to outlive the retries of one delivery (an hour); a month is ample. */
export const IDEMPOTENCY_RETENTION_DAYS = 30;

export interface HistoryBucketProps {
  /** Days a run folder is kept. */
  retentionDays: number;
}

export class HistoryBucket extends s3.Bucket {
  constructor(scope: Construct, id: string, props: HistoryBucketProps) {
    super(scope, id, {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: false,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [
        { id: 'ExpireRunHistory', prefix: HISTORY_PREFIXES.reports, expiration: Duration.days(props.retentionDays) },
        {
          id: 'ExpireIdempotencyClaims',
          prefix: HISTORY_PREFIXES.idempotency,
          expiration: Duration.days(IDEMPOTENCY_RETENTION_DAYS),
        },
        // latest/ never expires: one small object per workspace, and the baseline of the next run.
      ],
    });
    Validations.of(this.node.defaultChild!).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'No server access logs: the bucket holds copies of reports already emailed to the recipients, only the audit ' +
        'function writes it, and an access-log bucket would be a second retained bucket nobody reads. Object-level ' +
        "auditing, where required, belongs in the account's CloudTrail S3 data events.",
    });
  }

  /**
   * GetObject + PutObject on the three prefixes, and ListBucket on the bucket. ListBucket is there
   * so that reading a key that does not exist yet (first run, first claim) answers 404 NoSuchKey
   * instead of 403 AccessDenied. It is deliberately unconditioned: S3 checks it on behalf of the
   * GetObject request, which carries no s3:prefix, so an s3:prefix condition would never match and
   * every missing key would read as 403 again. No DeleteObject: expiry is the lifecycle rules' job.
   */
  grantHistoryAccess(fn: lambda.Function): void {
    const objectArns = Object.values(HISTORY_PREFIXES).map((prefix) => this.arnForObjects(`${prefix}*`));
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'HistoryObjects',
        actions: ['s3:GetObject', 's3:PutObject'],
        resources: objectArns,
      }),
    );
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'HistoryMissingKeyIs404',
        actions: ['s3:ListBucket'],
        resources: [this.bucketArn],
      }),
    );

    // On the role's policy resource, so each acknowledgment covers one prefix in that one policy.
    const policy = fn.role!.node.findChild('DefaultPolicy').node.defaultChild!;
    const bucketArn = `<${Stack.of(this).getLogicalId(this.node.defaultChild as s3.CfnBucket)}.Arn>`;
    for (const prefix of Object.values(HISTORY_PREFIXES)) {
      Validations.of(policy).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${bucketArn}/${prefix}*]`,
        reason:
          `Prefix-scoped: objects under ${prefix} of this stack's own history bucket, whose keys (workspace, date, run id, ` +
          'schedule hash) are only known at run time; the rest of the bucket stays out of reach.',
      });
    }
  }
}
