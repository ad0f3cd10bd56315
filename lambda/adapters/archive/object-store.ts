// The four storage operations the archive and the idempotency store need. S3 and a local folder
// both provide them, so the history and claim logic is written (and tested) once.

export interface StoredObject {
  /** The object as stored; a reader that wants text decodes it with textOf. */
  bytes: Buffer;
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

/**
 * An object's text, decoded as both stores always have (S3's transformToString('utf-8') is
 * Buffer#toString there too): UTF-8, a byte order mark kept as U+FEFF, invalid bytes as U+FFFD.
 */
export function textOf(object: StoredObject): string {
  return object.bytes.toString('utf8');
}

/** Bounds the re-read/retry loops: each lost race means another writer made progress. */
export const MAX_CONFLICT_ROUNDS = 5;
