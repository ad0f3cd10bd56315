// Jest globalSetup: bundle the CLI once per test run, so the tests that start bin/number-audit.js
// run today's sources, not whatever dist/ held.
import { buildCli } from '../../scripts/build-cli';

export default async function globalSetup(): Promise<void> {
  await buildCli();
}
