// The four storage operations the archive and the idempotency store need. S3 and a local folder
// both provide them, so the history and claim logic is written (and tested) once.

export interface StoredObject {
  body: string;
  /** Opaque version tag handed back to putIfMatch (the S3 ETag, a content hash on disk). */
  etag: string;
}

export interface ObjectStore {
  /** null when the key does not exist. */
  get(key: string): Promise<StoredObject | null>;
  put(key: string, body: Buffer | string, contentType: string): Promise<void>;
  /** Creates the object only if the key is free; false when someone else got there first. */
  putIfAbsent(key: string, body: string): Promise<boolean>;
  /** Replaces the object only if it is still at `etag`; false when it changed (or vanished). */
  putIfMatch(key: string, body: string, etag: string): Promise<boolean>;
  /** Every key that starts with `prefix`, in no particular order. */
  list(prefix: string): Promise<string[]>;
  /** Where a key lives, for people: an s3:// URL or a file path. */
  describe(key: string): string;
}

/** Bounds the re-read/retry loops: each lost race means another writer made progress. */
export const MAX_CONFLICT_ROUNDS = 5;
