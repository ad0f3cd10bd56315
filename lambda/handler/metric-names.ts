// The handler's custom EMF metrics by name: the handler emits them and the stack's alarms watch them,
// so a rename cannot leave an alarm watching a metric nobody emits. Namespace and dimension: AUDIT_METRICS.
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
} as const;

export type MetricName = (typeof METRIC)[keyof typeof METRIC];
