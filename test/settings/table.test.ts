// docs/configuration.md carries the settings table as lambda/settings renders it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as z from 'zod';
import { renderSettingsTable, replaceSettingsRegion, SETTINGS_END, SETTINGS_START } from '../../lambda/settings';

const DOC = path.join(__dirname, '..', '..', 'docs', 'configuration.md');

it('docs/configuration.md holds the current settings table (npx tsx scripts/settings-table.ts rewrites it)', () => {
  const doc = fs.readFileSync(DOC, 'utf8');
  const region = doc.slice(doc.indexOf(SETTINGS_START) + SETTINGS_START.length, doc.indexOf(SETTINGS_END)).trim();
  const expected = renderSettingsTable();
  if (region !== expected) {
    throw new Error(
      `the settings table in docs/configuration.md is stale; run npx tsx scripts/settings-table.ts. Expected:\n${expected}`,
    );
  }
  expect(doc).toMatch(/^# Configuration\n/);
});

describe('renderSettingsTable', () => {
  const table = renderSettingsTable({
    pageSize: {
      doc: 'Numbers per request | at most 100',
      env: 'PAGE_SIZE',
      flag: '--page-size',
      default: 50,
      schema: z.unknown(),
    },
    owner: { doc: 'Who gets the report', context: 'owner', required: 'an address', schema: z.unknown() },
    region: {
      doc: 'Stack region',
      context: 'region',
      env: 'REGION',
      default: 'eu-west-1',
      defaultOn: ['context'],
      schema: z.unknown(),
    },
  });

  it('writes one row per setting: names, default and doc, pipes escaped, columns padded as Biome pads them', () => {
    expect(table.split('\n')).toEqual([
      '| Setting  | Context key | Environment variable | CLI flag      | Default             | Meaning                            |',
      '| -------- | ----------- | -------------------- | ------------- | ------------------- | ---------------------------------- |',
      '| pageSize |             | `PAGE_SIZE`          | `--page-size` | `50`                | Numbers per request \\| at most 100 |',
      '| owner    | `owner`     |                      |               | (required)          | Who gets the report                |',
      '| region   | `region`    | `REGION`             |               | `eu-west-1` (stack) | Stack region                       |',
    ]);
  });

  it('lists every setting of the module', () => {
    expect(renderSettingsTable()).toMatch(
      /\| runDeadlineMarginSeconds +\| `runDeadlineMarginSeconds` +\| `RUN_DEADLINE_MARGIN_MS` +\| +\| `60` +\|/,
    );
  });
});

describe('replaceSettingsRegion', () => {
  it('replaces only what is between the markers, and is stable', () => {
    const doc = `# T\n\nIntro.\n\n${SETTINGS_START}\nold\n${SETTINGS_END}\n\nAfter.\n`;
    const once = replaceSettingsRegion(doc, '| new |');
    expect(once).toBe(`# T\n\nIntro.\n\n${SETTINGS_START}\n| new |\n${SETTINGS_END}\n\nAfter.\n`);
    expect(replaceSettingsRegion(once, '| new |')).toBe(once);
  });

  it('refuses a document without the markers', () => {
    expect(() => replaceSettingsRegion('# T\n', '| x |')).toThrow(/settings:start/);
  });
});
