// The settings module: importable from the CDK app, the function and the CLI (no AWS SDK, no CDK).
export { type CronFields, cronExpression, parseCron } from './cron';
export { contextReader, type ContextValue, defaultOn, envDefault, envReader, readFlag } from './read';
export { isAbsent, parseSetting, type RawValue } from './schema';
export {
  AUDIT_METRICS,
  LEASE_BEYOND_MARGIN_SECONDS,
  MIN_HISTORY_DAYS,
  type SettingName,
  type SettingSpec,
  SETTINGS,
  type Settings,
  type Surface,
} from './settings';
export {
  ACTION_TRIGGERS,
  type ActionTrigger,
  RETENTION_DAYS,
  type SecretRef,
  secretIdOf,
  triggersText,
} from './values';
export { MAX_WORKSPACES, type WorkspaceEntry, type WorkspaceVariable } from './workspaces';
export { MAX_REGISTRY_ENTRIES, parsePrefixedSecret, parseRegistry, type RegistryEntry } from './registry';
export { closestName } from './suggest';
export { renderSettingsTable, replaceSettingsRegion, SETTINGS_END, SETTINGS_START } from './table';
export {
  checkConfiguredRecipients,
  domainOf,
  outsideDomains,
  recipientDomains,
  withLowerCaseDomain,
} from './recipient-domains';
