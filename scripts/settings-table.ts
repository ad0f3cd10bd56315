// Rewrites the settings table in docs/configuration.md from lambda/settings (between the
// settings:start and settings:end markers). test/settings/table.test.ts fails until it has run.
//   npx tsx scripts/settings-table.ts
import * as fs from 'node:fs';
import * as path from 'node:path';
import { renderSettingsTable, replaceSettingsRegion } from '../lambda/settings';

const CONFIGURATION_DOC = path.join(__dirname, '..', 'docs', 'configuration.md');

function main(): void {
  const before = fs.readFileSync(CONFIGURATION_DOC, 'utf8');
  const after = replaceSettingsRegion(before, renderSettingsTable());
  if (after === before) {
    console.log(`${path.relative(process.cwd(), CONFIGURATION_DOC)} is up to date`);
    return;
  }
  fs.writeFileSync(CONFIGURATION_DOC, after);
  console.log(`rewrote the settings table in ${path.relative(process.cwd(), CONFIGURATION_DOC)}`);
}

main();
