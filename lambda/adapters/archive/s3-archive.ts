// History and "one email per scheduled run" on one S3 bucket, using S3 conditional writes
// (If-None-Match: * to create, If-Match: <etag> to replace). The stack grants s3:ListBucket so a
// missing key reads as NoSuchKey (404), not AccessDenied (403).
import { awsClientOptions } from '../aws/client-options';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { AuditError } from '../../core/errors';
import { ObjectStoreHistory } from './history';
import type { StoreIdempotencyOptions } from './idempotency-store';
import type { ObjectStore, StoredObject } from './object-store';

/** The history bucket could not be read or written. */
export class ArchiveError extends AuditError {
  readonly code = 'ARCHIVE';
}

interface AwsErrorShape {
  name?: string;
  $metadata?: { httpStatusCode?: number };
}

function awsError(e: unknown): AwsErrorShape {
  return typeof e === 'object' && e !== null ? (e as AwsErrorShape) : {};
}

export function isNotFound(e: unknown): boolean {
  const { name, $metadata } = awsError(e);
  if (name === 'NoSuchBucket') return false;
  return name === 'NoSuchKey' || name === 'NotFound' || $metadata?.httpStatusCode === 404;
}

/** 412: the precondition failed (someone else wrote first); 409: a concurrent conditional write. */
function isLostRace(e: unknown): boolean {
  const { name, $metadata } = awsError(e);
  return (
    name === 'PreconditionFailed' ||
    name === 'ConditionalRequestConflict' ||
    $metadata?.httpStatusCode === 412 ||
    $metadata?.httpStatusCode === 409
  );
}

export class S3ObjectStore implements ObjectStore {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
  ) {}

  describe(key: string): string {
    return `s3://${this.bucket}/${key}`;
  }

  async get(key: string): Promise<StoredObject | null> {
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      const array = await out.Body?.transformToByteArray();
      if (!out.ETag) throw new ArchiveError(`S3 returned no ETag for ${this.describe(key)}`);
      // The SDK's array wrapped, not copied.
      const bytes = array ? Buffer.from(array.buffer, array.byteOffset, array.byteLength) : Buffer.alloc(0);
      return { bytes, etag: out.ETag };
    } catch (e) {
      if (isNotFound(e)) return null;
      throw this.failure('read', key, e);
    }
  }

  async list(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    try {
      do {
        const out = await this.client.send(
          new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }),
        );
        for (const o of out.Contents ?? []) if (o.Key) keys.push(o.Key);
        token = out.IsTruncated ? out.NextContinuationToken : undefined;
      } while (token);
    } catch (e) {
      throw this.failure('read', prefix, e);
    }
    return keys;
  }

  async put(key: string, body: Buffer | string, contentType: string): Promise<void> {
    try {
      await this.client.send(
        new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: contentType }),
      );
    } catch (e) {
      throw this.failure('write', key, e);
    }
  }

  putIfAbsent(key: string, body: string): Promise<boolean> {
    return this.conditionalPut(key, body, { IfNoneMatch: '*' });
  }

  putIfMatch(key: string, body: string, etag: string): Promise<boolean> {
    return this.conditionalPut(key, body, { IfMatch: etag });
  }

  private async conditionalPut(
    key: string,
    body: string,
    condition: { IfNoneMatch: string } | { IfMatch: string },
  ): Promise<boolean> {
    try {
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Body: body,
          ContentType: 'application/json',
          ...condition,
        }),
      );
      return true;
    } catch (e) {
      if (isLostRace(e)) return false;
      // If-Match on an object that has since been deleted answers 404: it changed under us too.
      if ('IfMatch' in condition && isNotFound(e)) return false;
      throw this.failure('write', key, e);
    }
  }

  private failure(action: 'read' | 'write', key: string, e: unknown): ArchiveError {
    if (e instanceof ArchiveError) return e;
    const name = awsError(e).name ?? 'Error';
    const hint =
      name === 'AccessDenied'
        ? `; the function's role needs s3:${action === 'read' ? 'GetObject (and s3:ListBucket)' : 'PutObject'} on this key`
        : name === 'NoSuchBucket'
          ? '; the history bucket does not exist (check the stack output and the function configuration)'
          : '';
    return new ArchiveError(`could not ${action} ${this.describe(key)}: ${name}${hint}`, { cause: e });
  }
}

export interface S3ArchiveOptions extends StoreIdempotencyOptions {
  bucket: string;
  /** Create it once at module scope and pass it in, so warm invocations reuse its connections. */
  client?: S3Client;
}

/** ReportArchive + IdempotencyStore on one bucket. */
export class S3Archive extends ObjectStoreHistory {
  constructor(options: S3ArchiveOptions) {
    super(new S3ObjectStore(options.client ?? new S3Client(awsClientOptions()), options.bucket), options);
  }
}
