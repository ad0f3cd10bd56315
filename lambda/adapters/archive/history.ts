// One object that is both the run archive and the idempotency store, over one ObjectStore:
// what the S3 bucket and the local history folder each provide.
import type { ClaimOutcome, IdempotencyRecord } from '../../core/idempotency';
import type {
  ArchivedRun,
  IdempotencyStore,
  LatestRunPointer,
  PreviousSnapshot,
  ReportArchive,
} from '../../core/ports';
import type { RunSummary } from '../../core/trend';
import { StoreIdempotencyStore, type StoreIdempotencyOptions } from './idempotency-store';
import type { ObjectStore } from './object-store';
import { StoreReportArchive } from './report-archive';

export class ObjectStoreHistory implements ReportArchive, IdempotencyStore {
  private readonly archive: StoreReportArchive;
  private readonly idempotency: StoreIdempotencyStore;

  constructor(store: ObjectStore, options: StoreIdempotencyOptions = {}) {
    this.archive = new StoreReportArchive(store);
    this.idempotency = new StoreIdempotencyStore(store, options);
  }

  writeRun(run: ArchivedRun): Promise<{ location: string; prefix: string }> {
    return this.archive.writeRun(run);
  }

  readLatestSnapshot(workspace: string): Promise<PreviousSnapshot | null> {
    return this.archive.readLatestSnapshot(workspace);
  }

  writeLatestPointer(workspace: string, pointer: LatestRunPointer): Promise<{ updated: boolean }> {
    return this.archive.writeLatestPointer(workspace, pointer);
  }

  readRecentRuns(workspace: string, limit: number): Promise<RunSummary[]> {
    return this.archive.readRecentRuns(workspace, limit);
  }

  claim(key: string, options: { leaseMs: number; now: Date }): Promise<ClaimOutcome> {
    return this.idempotency.claim(key, options);
  }

  peek(key: string): Promise<IdempotencyRecord | null> {
    return this.idempotency.peek(key);
  }

  markSending(key: string, token: string): Promise<void> {
    return this.idempotency.markSending(key, token);
  }

  markSent(key: string, token: string, result: { messageId: string }): Promise<void> {
    return this.idempotency.markSent(key, token, result);
  }

  release(key: string, token: string): Promise<void> {
    return this.idempotency.release(key, token);
  }
}
