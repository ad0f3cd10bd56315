#!/usr/bin/env node
// The package's `number-audit` command: runs the CLI that scripts/build-cli.ts bundles into dist/
// (`npm ci` and `npm install` build it through the `prepare` script; after editing lambda/, run
// `npm run build:cli`). Plain JavaScript, so starting it compiles no TypeScript.
const BUNDLE = '../dist/cli/number-audit.js';

// Before loading the bundle: --verbose stack traces then name the TypeScript sources.
process.setSourceMapsEnabled(true);
let cli;
try {
  cli = require(BUNDLE);
} catch (error) {
  // The bundle requires only Node built-ins: a missing module is the bundle itself.
  if (error?.code !== 'MODULE_NOT_FOUND') throw error;
  process.stderr.write('number-audit: the CLI is not built; run `npm run build:cli` in the project folder\n');
  process.exit(1);
}
cli.runFromProcess();
