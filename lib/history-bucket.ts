// The run history, latest-run pointers and one-email-per-schedule claims, in one private bucket laid
// out as lambda/adapters/archive/layout.ts says (its ARCHIVE_PREFIXES are the lifecycle rules' prefixes).
// Versioning is off: run folders are written once under a fresh run id, and the two kinds of object
// that are replaced (pointers, claims) are replaced only by conditional writes, which already fence
// concurrent writers; old versions would be kept, billed and never read. Retained on `cdk destroy`:
// the history is the record of past audits and outlives any one deployment.
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { ARCHIVE_PREFIXES, FAN_OUT_KEYS } from '../lambda/adapters/archive/layout';

/** A claim only has to outlive the retries of one delivery (an hour); a month is ample. */
export const IDEMPOTENCY_RETENTION_DAYS = 30;

export interface HistoryBucketProps {
  /** Days a run folder is kept. */
  retentionDays: number;
  /** Fan-out mode: expire the workspace tasks' summaries and checkpoints too. */
  fanOut?: boolean;
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
        { id: 'ExpireRunHistory', prefix: ARCHIVE_PREFIXES.reports, expiration: Duration.days(props.retentionDays) },
        {
          id: 'ExpireIdempotencyClaims',
          prefix: ARCHIVE_PREFIXES.idempotency,
          expiration: Duration.days(IDEMPOTENCY_RETENTION_DAYS),
        },
        // Fan-out hand-overs matter only until the roll-up has run; kept a month for re-runs and questions.
        ...(props.fanOut ? [FAN_OUT_KEYS.summaries, FAN_OUT_KEYS.checkpoints, FAN_OUT_KEYS.runs] : []).map(
          (prefix) => ({
            id: `Expire-${prefix.replace('/', '')}`,
            prefix,
            expiration: Duration.days(IDEMPOTENCY_RETENTION_DAYS),
          }),
        ),
        // latest/ never expires: one small object per workspace, and the baseline of the next run.
      ],
    });
    // On the CfnBucket itself, so the acknowledgment covers the bucket and not its bucket policy.
    Validations.of(this.node.defaultChild as s3.CfnBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'No server access logs: the bucket holds copies of reports already emailed to the recipients, only the audit ' +
        'function writes it, and an access-log bucket would be a second retained bucket nobody reads. Object-level ' +
        "auditing, where required, belongs in the account's CloudTrail S3 data events.",
    });
  }
}
