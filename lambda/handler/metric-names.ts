// The handler's custom EMF metrics by name: the handler emits them and the stack's alarms and
// dashboard watch them, so a rename cannot leave an alarm or a widget watching a metric nobody emits. Namespace and dimension: AUDIT_METRICS.
export const METRIC = {
  TotalNumbers: 'TotalNumbers',
  UnroutedNumbers: 'UnroutedNumbers',
  ListingRetries: 'ListingRetries',
  IncompleteListings: 'IncompleteListings',
  FailedWorkspaces: 'FailedWorkspaces',
  ArchiveFailures: 'ArchiveFailures',
  RunDuration: 'RunDuration',
  DuplicateDeliveries: 'DuplicateDeliveries',
  FailedRuns: 'FailedRuns',
  /** A run that ended "duplicate, uncertain": the report may or may not have gone out. */
  UncertainDelivery: 'UncertainDelivery',
  /** Active numbers routed to an agent that no longer exists (0 when agents were not checked). */
  MissingAgentNumbers: 'MissingAgentNumbers',
  /** Numbers nobody called in the usage window (0 when the check did not run). */
  IdleNumbers: 'IdleNumbers',
  /** Known monthly cost in USD (numbers with no known cost are left out). */
  MonthlyCost: 'MonthlyCost',
  /** HTTP requests to the DialNexa API while listing, and those answered 429 (rate limited). */
  DialNexaRequests: 'DialNexaRequests',
  RateLimitedRequests: 'RateLimitedRequests',
  /** The run's EventBridge event could not be put on the bus (the run itself went on). */
  EventPublishFailures: 'EventPublishFailures',
} as const;

export type MetricName = (typeof METRIC)[keyof typeof METRIC];
