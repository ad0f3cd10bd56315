// Domain types: the language every layer speaks. The core never sees raw API JSON; adapters
// validate what they receive and hand over these shapes.

export const NUMBER_TYPES = ['local', 'toll_free', 'mobile'] as const;
export type KnownNumberType = (typeof NUMBER_TYPES)[number];
export type NumberType = KnownNumberType | 'unknown';
/** Report order of types, `unknown` last. */
export const ALL_NUMBER_TYPES: readonly NumberType[] = [...NUMBER_TYPES, 'unknown'];

/** Country key used when neither the API nor the number itself tells the country. */
export const UNKNOWN_COUNTRY = 'unknown';

/** Where a value came from: said by the API, worked out from the number, or not known. */
export type ValueSource = 'api' | 'derived' | 'unknown';

/**
 * One phone-number record as the DialNexa adapter validated it: every documented field variant
 * kept side by side, nothing interpreted yet. Unknown extra fields survive in `extra`.
 */
export interface NumberRecord {
  id: string;
  phone_number: string;
  country_code?: string | null;
  type?: string | null;
  status?: string | null;
  rental_status?: string | null;
  inbound_agent_id?: string | null;
  agent_id?: string | null;
  nickname?: string | null;
  label?: string | null;
  provider?: string | null;
  created_at?: string | null;
  monthly_cost_usd?: string | number | null;
  extra?: Record<string, unknown>;
}

/** A phone number as the audit understands it. */
export interface PhoneNumber {
  id: string;
  /** E.164, always starting with `+`. */
  phoneNumber: string;
  /** ISO 3166-1 alpha-2 (upper case), or `unknown`. */
  countryCode: string;
  countrySource: ValueSource;
  type: NumberType;
  /** True when the API did not say the type and it was inferred from the numbering plan. */
  typeInferred: boolean;
  /** Effective status, lower case (`active`, `pending`, `expired`, ...); null when the API gave none. */
  status: string | null;
  /** Inbound agent id; null when none (absent, null or empty string). */
  inboundAgentId: string | null;
  /** `nickname`, else `label`. */
  nickname: string | null;
  provider: string | null;
  createdAt: string | null;
  /** Monthly cost in USD: from the API, else from the rate card; null when neither knows. */
  monthlyCostUsd: number | null;
  costSource: CostSource;
  /** The cleaned API text of fields that were cut to API_TEXT_MAX_CHARS; absent when nothing was cut. */
  untruncated?: UntruncatedText;
}

/** Free-text fields bounded for display; their full values go only where size allows (the CSV). */
export type UntruncatedText = Partial<Record<'nickname' | 'provider' | 'status', string>>;

/** Where a number's monthly cost came from. */
export type CostSource = 'api' | 'rate-card' | 'unknown';

export type Counts = Record<string, number>;

export interface CostSummary {
  currency: 'USD';
  /** Sum of known monthly costs, rounded to cents. */
  totalMonthly: number;
  byCountry: Counts;
  byType: Counts;
  byCountryType: Record<string, Counts>;
  /** Numbers whose monthly cost is known / unknown. */
  knownCount: number;
  unknownCount: number;
  /** How many numbers got their cost from each source. */
  sources: Record<CostSource, number>;
}

export interface AuditResult {
  total: number;
  byCountry: Counts;
  byType: Record<NumberType, number>;
  /** country -> type -> count; every cell of every listed country present (zeros included). */
  byCountryType: Record<string, Record<NumberType, number>>;
  byStatus: Counts;
  byProvider: Counts;
  /** Active (or status-less) numbers with no inbound agent, sorted by country then number. */
  unrouted: PhoneNumber[];
  /** Numbers whose status is set and is not `active`; never counted as unrouted. */
  notActive: PhoneNumber[];
  cost: CostSummary;
}

/** Filters passed through to the API. */
export interface ListFilters {
  countryCode?: string;
  type?: KnownNumberType;
}

/** What one complete listing attempt produced. */
export interface Listing {
  records: NumberRecord[];
  /** The total the API reported (null when it never said). */
  reportedTotal: number | null;
  /** False when the unique count still disagreed with the reported total after one re-list. */
  complete: boolean;
  /** Why the listing is incomplete, in words a reader can act on. */
  incompleteReason?: string;
  /**
   * Set on a complete listing whose count nothing confirmed (no total from the API, no second
   * listing): "complete, unverified". Says why, in words a reader can act on.
   */
  unverified?: string;
  stats: ListingStats;
}

export interface ListingStats {
  pages: number;
  requests: number;
  retries: number;
  rateLimited: number;
  duplicatesDropped: number;
  relisted: boolean;
  durationMs: number;
}

/**
 * How the CSV travels with the email: as is, gzipped, or left out (too large even gzipped); as the
 * last resort (`summary`) the CSV is left out and the body holds only the headline figures.
 */
export type AttachmentMode = 'csv' | 'csv.gz' | 'omitted' | 'summary';

/** An agent of the workspace (GET /v1/agents). */
export interface Agent {
  id: string;
  /** `current_version.title`; null when the API gives none. */
  name: string | null;
  /** The folder (team) the agent sits in; null or absent when none. */
  folderId?: string | null;
}

/** A folder of agents (GET /v1/organization-folders): a team, the owner of a use case. */
export interface Folder {
  id: string;
  /** Cleaned and bounded API text; null when the API gives none. */
  name: string | null;
}

/** Whether routed numbers point at agents that exist. */
export type AgentCheck =
  | {
      status: 'checked';
      agentCount: number;
      /** agent id -> name, for every agent of the workspace. */
      names: Record<string, string | null>;
      /** Numbers whose inbound agent id is not an agent of the workspace, sorted like unrouted. */
      missing: PhoneNumber[];
    }
  | { status: 'skipped'; reason: string };

/** Triggers of the `[Action needed]` subject prefix; each can be switched off. */
export interface ActionTriggers {
  unrouted: boolean;
  missingAgents: boolean;
  removedNumbers: boolean;
  failedWorkspaces: boolean;
  /** Numbers on one side only of the inventory reconciliation, or priced differently. */
  unreconciled: boolean;
  /** Numbers nobody called in the usage window; off by default (idle is a cost, not an outage). */
  idle: boolean;
}

export const DEFAULT_ACTION_TRIGGERS: ActionTriggers = Object.freeze({
  unrouted: true,
  missingAgents: true,
  removedNumbers: true,
  failedWorkspaces: true,
  unreconciled: false,
  idle: false,
});
