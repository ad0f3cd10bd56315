// Narrow interfaces the orchestrator talks to. Adapters implement them; the core never imports
// an adapter.
import type { ListFilters, Listing } from './types';

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
}

/** Lists every phone number of one workspace. */
export interface NumberLister {
  listAll(options?: ListOptions): Promise<Listing>;
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
