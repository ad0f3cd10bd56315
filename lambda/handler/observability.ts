// Powertools Logger and Metrics, configured once for the function (service name and namespace
// come from POWERTOOLS_SERVICE_NAME / POWERTOOLS_METRICS_NAMESPACE set by the stack).
import { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Logger } from '../core/ports';

export const powertoolsLogger = new PowertoolsLogger({
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'number-audit',
});

export const metrics = new Metrics({
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'number-audit',
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'NumberAudit',
});

/** The core's narrow Logger port, backed by Powertools (structured JSON lines). */
export const logger: Logger = {
  debug: (message, extra) => powertoolsLogger.debug(message, extra ?? {}),
  info: (message, extra) => powertoolsLogger.info(message, extra ?? {}),
  warn: (message, extra) => powertoolsLogger.warn(message, extra ?? {}),
  error: (message, extra) => powertoolsLogger.error(message, extra ?? {}),
};

export { MetricUnit };
