// The same history layout in a local folder, for the CLI's `--history DIR` and the demo.
// Writes go to a temp file then rename, so a reader never sees half a file. Create-if-absent is
// a hard link of a complete temp file (fails with EEXIST when the name is taken), which is atomic
// like `open(..., 'wx')` but never exposes an empty file to a concurrent reader.
import { createHash, randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { ObjectStoreHistory } from './history';
import type { StoreIdempotencyOptions } from './idempotency-store';
import type { ObjectStore, StoredObject } from './object-store';

const LOCK_WAIT_MS = 5;
const LOCK_ATTEMPTS = 400;
/** A lock is held for one read and one rename; older than this, its holder died. */
const STALE_LOCK_MS = 30_000;

function errorCode(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null ? (e as { code?: string }).code : undefined;
}

function etagOf(content: Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

export class FsObjectStore implements ObjectStore {
  private readonly root: string;

  constructor(root: string) {
    this.root = path.resolve(root);
  }

  describe(key: string): string {
    return this.file(key);
  }

  async get(key: string): Promise<StoredObject | null> {
    try {
      const content = await fs.readFile(this.file(key));
      return { bytes: content, etag: etagOf(content) };
    } catch (e) {
      if (errorCode(e) === 'ENOENT') return null;
      throw e;
    }
  }

  async put(key: string, body: Buffer | string): Promise<void> {
    const file = await this.prepare(key);
    await this.atomicWrite(file, body);
  }

  async putIfAbsent(key: string, body: string): Promise<boolean> {
    const file = await this.prepare(key);
    const temp = this.tempFor(file);
    await fs.writeFile(temp, body);
    try {
      await fs.link(temp, file);
      return true;
    } catch (e) {
      if (errorCode(e) === 'EEXIST') return false;
      throw e;
    } finally {
      await fs.rm(temp, { force: true });
    }
  }

  async putIfMatch(key: string, body: string, etag: string): Promise<boolean> {
    const file = await this.prepare(key);
    return this.withLock(file, async () => {
      const current = await this.get(key);
      if (!current || current.etag !== etag) return false;
      await this.atomicWrite(file, body);
      return true;
    });
  }

  async list(prefix: string): Promise<string[]> {
    const base = prefix.endsWith('/') ? this.file(prefix.slice(0, -1)) : this.file(prefix);
    let entries: string[];
    try {
      entries = await fs.readdir(base, { recursive: true });
    } catch (e) {
      if (errorCode(e) === 'ENOENT') return [];
      throw e;
    }
    const root = path.relative(this.root, base).split(path.sep).join('/');
    return entries
      .filter((e) => !e.endsWith('.tmp') && !e.endsWith('.lock'))
      .map((e) => `${root}/${e.split(path.sep).join('/')}`);
  }

  private file(key: string): string {
    const file = path.resolve(this.root, ...key.split('/'));
    if (!file.startsWith(this.root + path.sep)) throw new Error(`key "${key}" resolves outside the history folder`);
    return file;
  }

  private async prepare(key: string): Promise<string> {
    const file = this.file(key);
    await fs.mkdir(path.dirname(file), { recursive: true });
    return file;
  }

  private tempFor(file: string): string {
    return `${file}.${process.pid}.${randomUUID()}.tmp`;
  }

  private async atomicWrite(file: string, body: Buffer | string): Promise<void> {
    const temp = this.tempFor(file);
    try {
      await fs.writeFile(temp, body);
      await fs.rename(temp, file);
    } catch (e) {
      await fs.rm(temp, { force: true });
      throw e;
    }
  }

  /** A compare-and-swap needs the read and the rename to be one step; a lock file makes it so. */
  private async withLock<T>(file: string, fn: () => Promise<T>): Promise<T> {
    const lock = `${file}.lock`;
    for (let attempt = 0; attempt < LOCK_ATTEMPTS; attempt++) {
      let handle: fs.FileHandle | undefined;
      try {
        handle = await fs.open(lock, 'wx');
      } catch (e) {
        if (errorCode(e) !== 'EEXIST') throw e;
        await this.clearStaleLock(lock);
        await new Promise((resolve) => setTimeout(resolve, LOCK_WAIT_MS));
        continue;
      }
      try {
        return await fn();
      } finally {
        await handle.close();
        await fs.rm(lock, { force: true });
      }
    }
    throw new Error(`${lock} stayed locked; if no other audit is running, delete it`);
  }

  /**
   * Between judging a lock stale and removing it, another process may have replaced it with a
   * fresh one. So the lock is first renamed to a name only we know (atomic: of several breakers
   * one gets it), judged again there, and handed back if it turns out fresh.
   */
  private async clearStaleLock(lock: string): Promise<void> {
    if (!(await this.isStale(lock))) return;
    const aside = `${lock}.${process.pid}.${randomUUID()}.stale`;
    try {
      await fs.rename(lock, aside);
    } catch (e) {
      if (errorCode(e) === 'ENOENT') return; // another process removed it first
      throw e;
    }
    try {
      if (await this.isStale(aside)) return;
      // A live lock: put it back unless a new holder took the free name (then we cannot undo it).
      await fs.link(aside, lock).catch((e: unknown) => {
        if (errorCode(e) !== 'EEXIST') throw e;
      });
    } finally {
      await fs.rm(aside, { force: true });
    }
  }

  private async isStale(file: string): Promise<boolean> {
    try {
      const { mtimeMs } = await fs.stat(file);
      return Date.now() - mtimeMs > STALE_LOCK_MS;
    } catch (e) {
      if (errorCode(e) === 'ENOENT') return false;
      throw e;
    }
  }
}

export interface LocalArchiveOptions extends StoreIdempotencyOptions {
  dir: string;
}

/** ReportArchive + IdempotencyStore on a folder, same layout as the S3 bucket. */
export class LocalArchive extends ObjectStoreHistory {
  constructor(options: LocalArchiveOptions) {
    super(new FsObjectStore(options.dir), options);
  }
}
