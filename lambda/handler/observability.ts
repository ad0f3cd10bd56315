// Powertools Logger and Metrics, configured once for the function (service name and namespace
// come from the variables the stack sets, with the same values as their fallback).
import { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Logger } from '../core/ports';
import { AUDIT_METRICS, SETTINGS } from '../settings';

const serviceName = process.env[SETTINGS.serviceName.env] ?? AUDIT_METRICS.service;

export const powertoolsLogger = new PowertoolsLogger({ serviceName });

export const metrics = new Metrics({
  serviceName,
  namespace: process.env[SETTINGS.metricsNamespace.env] ?? AUDIT_METRICS.namespace,
});

/** The core's narrow Logger port, backed by Powertools (structured JSON lines). */
export const logger: Logger = {
  debug: (message, extra) => powertoolsLogger.debug(message, extra ?? {}),
  info: (message, extra) => powertoolsLogger.info(message, extra ?? {}),
  warn: (message, extra) => powertoolsLogger.warn(message, extra ?? {}),
  error: (message, extra) => powertoolsLogger.error(message, extra ?? {}),
};

export { MetricUnit };
