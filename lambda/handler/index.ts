// Lambda entry point. Cold start reads and checks the config only, so a bad setting still fails
// init naming it; the run's code (adapters, the audit, the report, the AWS SDK clients) loads on the
// first invocation, which keeps init to what every container needs before it can answer.
import type { Context } from 'aws-lambda';
import { readHandlerConfig } from './config';
import type * as RunHandler from './run-handler';
import type { LambdaSummary } from './summary';

const config = readHandlerConfig();
let invoke: RunHandler.AuditHandler | undefined;

export async function handler(event: unknown, context: Context): Promise<LambdaSummary> {
  // require, not import(): esbuild then wraps run-handler and what only it imports in a lazy
  // initializer, run here on the first invocation instead of at cold start.
  invoke ??= (require('./run-handler') as typeof RunHandler).createRunHandler(config);
  return invoke(event, context);
}
