// CDK entry point: configuration from context, one stack, cdk-nag AwsSolutions on every synth.
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { isAuditError } from '../lambda/core/errors';
import { readConfig } from '../lib/config';
import { NumberAuditStack } from '../lib/number-audit-stack';

const app = new App();

try {
  const config = readConfig(app);
  new NumberAuditStack(app, config.stackName, {
    config,
    description: 'Number Audit: weekly DialNexa phone-number audit emailed through SES',
    // Account and region come from the CLI's profile at deploy time; without credentials the stack
    // synthesizes environment-agnostic.
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  });
} catch (e) {
  // A configuration mistake is the operator's to fix: say which key and what is expected, no stack
  // trace. Some are only found while building the stack (a secret in another region, an
  // environment too big for Lambda).
  if (!isAuditError(e)) throw e;
  console.error(`Invalid configuration: ${e.message}`);
  process.exit(1);
}

// Findings fail the synth. Acknowledged ones are also written into the template's Metadata
// (cdk_nag.rules_to_suppress), so a reviewer of the deployed stack sees each one and its reason.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { writeSuppressionsToCloudFormation: true }));
