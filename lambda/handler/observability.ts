// Powertools Logger and Metrics, configured once for the function (service name and namespace
// come from the variables the stack sets, with the same values as their fallback).
import { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Logger } from '../core/ports';
import { AUDIT_METRICS, SETTINGS } from '../settings';

const serviceName = process.env[SETTINGS.serviceName.env] ?? AUDIT_METRICS.service;

export const powertoolsLogger = new PowertoolsLogger({ serviceName });

const namespace = process.env[SETTINGS.metricsNamespace.env] ?? AUDIT_METRICS.namespace;

export const metrics = new Metrics({ serviceName, namespace });

/** A metric set of its own with extra dimensions besides service (e.g. one per workspace); publish it yourself. */
export function dimensionedMetrics(dimensions: Record<string, string>): Metrics {
  return new Metrics({ serviceName, namespace, defaultDimensions: dimensions });
}

/**
 * Keys Powertools writes itself and silently drops from extra data. Ours are renamed instead:
 * `message` (an error's text, in most log lines) becomes `errorMessage`, any other `<key>Value`.
 */
const RESERVED_KEYS: Readonly<Record<string, string>> = {
  message: 'errorMessage',
  level: 'levelValue',
  sampling_rate: 'sampling_rateValue',
  service: 'serviceValue',
  timestamp: 'timestampValue',
};

function logSafe(extra: Record<string, unknown> = {}): Record<string, unknown> {
  if (!Object.keys(extra).some((k) => Object.hasOwn(RESERVED_KEYS, k))) return extra;
  return Object.fromEntries(
    Object.entries(extra).map(([k, v]) => [Object.hasOwn(RESERVED_KEYS, k) ? RESERVED_KEYS[k] : k, v]),
  );
}

/** The core's narrow Logger port, backed by Powertools (structured JSON lines). */
export const logger: Logger = {
  debug: (message, extra) => powertoolsLogger.debug(message, logSafe(extra)),
  info: (message, extra) => powertoolsLogger.info(message, logSafe(extra)),
  warn: (message, extra) => powertoolsLogger.warn(message, logSafe(extra)),
  error: (message, extra) => powertoolsLogger.error(message, logSafe(extra)),
};

export { MetricUnit };
