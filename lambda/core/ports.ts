// Every narrow interface the orchestrator talks to. Adapters implement them and import them from
// here, never from the orchestrator; the core never imports an adapter.
import type { ClaimOutcome, IdempotencyRecord } from './idempotency';
import type { RenderedBodies } from './report';
import type { Inventory } from './inventory';
import type { RunSummary } from './trend';
import type { CallLister, ReadOptions } from './calls';
import type { Agent, AttachmentMode, Folder, ListFilters, Listing, NumberRecord } from './types';

/** Where the DialNexa API key comes from (Secrets Manager, an env var, ...). */
export interface KeySource {
  /** `fresh: true` bypasses any cache (used once after a 401, in case the key was rotated). */
  getKey(options?: { fresh?: boolean }): Promise<string>;
  /** Human description for errors and logs, e.g. `secret "prod/dialnexa"`; never the value. */
  readonly description: string;
}

export interface ListProgress {
  pagesFetched: number;
  /** Known once page 1 reveals the total. */
  pagesTotal: number | null;
}

export interface ListOptions {
  filters?: ListFilters;
  /** Epoch ms by which the listing must be over (the run's deadline less a margin). */
  deadline?: number;
  onProgress?: (progress: ListProgress) => void;
  /**
   * When the API reports no total, list a second time and call the listing complete only if both
   * agree. Asked for runs that may become the baseline; costs one extra listing at most.
   */
  verify?: boolean;
  /** Each page's valid records as the page arrives (the run normalizes them while others load). */
  onRecords?: (records: readonly NumberRecord[]) => void;
}

/** Lists every phone number of one workspace. */
export interface NumberLister {
  listAll(options?: ListOptions): Promise<Listing>;
}

/** Reads a workspace's agents, to name them and find numbers routed to deleted ones. */
export interface AgentLister {
  listAgents(options?: ReadOptions): Promise<Agent[]>;
}

/** Reads a workspace's agent folders (teams), to name the owner of each use case. */
export interface FolderLister {
  listFolders(options?: ReadOptions): Promise<Folder[]>;
}

/** One workspace to audit: its name and a client holding its own key. */
export interface WorkspaceSpec {
  name: string;
  lister: NumberLister & Partial<AgentLister> & Partial<FolderLister> & Partial<CallLister>;
}

/**
 * The internal inventory of a workspace (the CLI's --inventory file; in AWS the history bucket's
 * inventory/<workspace-slug>.csv). Null when there is none; throws when it cannot be used.
 */
export interface InventorySource {
  read(workspace: string): Promise<Inventory | null>;
}

/** One email ready to be built into MIME. */
export interface EmailAttachment {
  filename: string;
  contentType: string;
  content: Buffer;
}

export interface EmailMessage {
  from: string;
  to: string[];
  replyTo?: string[];
  subject: string;
  text: string;
  html: string;
  attachments: EmailAttachment[];
}

export interface SentEmail {
  messageId: string;
  /** The raw MIME that was sent. */
  raw: Buffer;
}

/** Sends raw MIME (SES SendRawEmail in AWS; the local SES emulator in tests and the demo). */
export interface RawMailer {
  sendRaw(raw: Buffer, envelope: { from: string; to: string[] }): Promise<{ messageId: string }>;
}

/** Builds the raw MIME for a report, shrinking the CSV attachment (gzip, then leave out) to fit. */
export interface ReportEmailBuilder {
  build(input: {
    from: string;
    to: string[];
    replyTo?: string[];
    date: Date;
    /** The CSV's bytes, with every API text in full. */
    csv: Buffer;
    /** The CSV with long API texts cut, when that differs from `csv`; made only if needed. */
    cutCsv?: () => Buffer;
    /** Renders the subject and bodies for a fit, so the email can say what happened. */
    render: (fit: EmailFit) => RenderedBodies;
  }): Promise<{ raw: Buffer } & EmailFit>;
}

/**
 * How a report was made to fit SES's size limit: the CSV as is, gzipped, with long texts cut
 * (`csvCut`), left out, and at last a body of headline figures only (`summary`).
 */
export interface EmailFit {
  attachment: AttachmentMode;
  csvCut: boolean;
}

export interface Logger {
  debug(message: string, extra?: Record<string, unknown>): void;
  info(message: string, extra?: Record<string, unknown>): void;
  warn(message: string, extra?: Record<string, unknown>): void;
  error(message: string, extra?: Record<string, unknown>): void;
}

export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/** One run's files, stored under `reports/<workspace-slug>/<yyyy>/<mm>/<dd>/<run-id>/` (UTC date). */
export interface ArchivedRun {
  workspace: string;
  date: Date;
  /** [A-Za-z0-9._-], at most 128 characters (e.g. the Lambda request id). */
  runId: string;
  /** File name ([A-Za-z0-9._-]) -> content; include `snapshot.json` for runs that may become the baseline. */
  files: Record<string, Buffer | string>;
}

/** Where the latest complete run lives; `prefix` is what writeRun returned. */
export interface LatestRunPointer {
  runId: string;
  generatedAt: string;
  prefix: string;
}

/**
 * A previous snapshot that was found; `ok: false` carries a reason for a warning line. Found, it is
 * handed over as the file's bytes: the core reads its numbers one at a time, decoding only those
 * that changed (and says why, if the file cannot be a baseline).
 */
export type PreviousSnapshot =
  | { ok: true; bytes: Buffer; location: string }
  | { ok: false; reason: string; location: string };

/** Run history: the S3 bucket in AWS, a folder for the CLI (`--history DIR`) and the demo. */
export interface ReportArchive {
  /** `location` is for people (s3:// URL or path); `prefix` is for the latest pointer. */
  writeRun(run: ArchivedRun): Promise<{ location: string; prefix: string }>;
  /** The latest complete run's snapshot; null when there is no previous run. */
  readLatestSnapshot(workspace: string): Promise<PreviousSnapshot | null>;
  /** Call for complete runs only. Never moves backwards: an older generatedAt leaves it as is. */
  writeLatestPointer(workspace: string, pointer: LatestRunPointer): Promise<{ updated: boolean }>;
  /**
   * The newest `limit` complete, unfiltered runs' summaries, newest first; runs that cannot be
   * read are left out. Optional: an archive without it draws no trend.
   */
  readRecentRuns?(workspace: string, limit: number): Promise<RunSummary[]>;
}

/**
 * At most one email per key (the caller hashes scheduleArn + scheduledTime). Protocol: claim;
 * on `claimed`: build, markSending, send, markSent; on a failure before sending: release.
 * markSending/markSent/release throw ClaimLostError when the claim is no longer ours.
 */
export interface IdempotencyStore {
  claim(key: string, options: { leaseMs: number; now: Date }): Promise<ClaimOutcome>;
  /** The record as it stands, without claiming (null when there is none). */
  peek(key: string): Promise<IdempotencyRecord | null>;
  markSending(key: string, token: string): Promise<void>;
  markSent(key: string, token: string, result: { messageId: string }): Promise<void>;
  /** Gives a claim back so a retry can send at once instead of waiting out the lease. */
  release(key: string, token: string): Promise<void>;
}

/** The adapters one audit run is wired with. */
export interface RunAuditDeps {
  emailBuilder: ReportEmailBuilder;
  /** Needed unless every run is a dry run. */
  mailer?: RawMailer;
  /** Run history: previous snapshot for "changes", and where each run's files are kept. */
  archive?: ReportArchive;
  /** One email per scheduled run; used when `idempotencyKey` is given. */
  idempotency?: IdempotencyStore;
  /** The internal inventory to reconcile each workspace with; none: no reconciliation. */
  inventory?: InventorySource;
  now: () => Date;
  logger: Logger;
  /** Used while waiting for another invocation's claim; default a timer. */
  sleep?: (ms: number) => Promise<void>;
}

// The calls port lives in its own module so usage.ts can use it without a cycle through ports.ts.
export type { CallLister, CallRecord, CallsPage, CallsQuery, ReadOptions } from './calls';
