// The port to DialNexa's calls (GET /v1/calls), as the usage check speaks to it.

/** A read besides the listing: its deadline, and a signal that stops it when the run no longer needs it. */
export interface ReadOptions {
  /** Epoch ms by which the read must be over. */
  deadline?: number;
  signal?: AbortSignal;
}
/** One GET /v1/calls question: the window, a page, and at most one number filter. */
export interface CallsQuery {
  /** ISO instants; the API filters `start_date` <= call <= `end_date`. */
  startDate: string;
  endDate: string;
  page: number;
  limit: number;
  to?: string;
  from?: string;
}

/** One call as the adapter read it: numbers and time as the API wrote them (cleaned), or null. */
export interface CallRecord {
  to: string | null;
  from: string | null;
  /** ISO 8601 when the API gave a readable time. */
  at: string | null;
}

export interface CallsPage {
  calls: CallRecord[];
  /** What the page says about the whole list; null when the server did not say. */
  total: number | null;
  totalPages: number | null;
}

/** Reads a workspace's calls (GET /v1/calls), newest first, one page per call. */
export interface CallLister {
  listCalls(query: CallsQuery, options?: ReadOptions): Promise<CallsPage>;
}
