// Writes docs/run-event.schema.json, the JSON Schema of the run event's detail, from the schema the
// handler's events are built and tested against (lambda/handler/run-event.ts).
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runEventJsonSchema } from '../lambda/handler/run-event';

export const RUN_EVENT_SCHEMA_FILE = path.join(__dirname, '..', 'docs', 'run-event.schema.json');

fs.writeFileSync(RUN_EVENT_SCHEMA_FILE, `${JSON.stringify(runEventJsonSchema(), null, 2)}\n`);
// As `npm run lint` (biome ci) wants it.
execFileSync('npx', ['biome', 'format', '--write', RUN_EVENT_SCHEMA_FILE], { stdio: 'ignore' });
console.log(`wrote ${path.relative(process.cwd(), RUN_EVENT_SCHEMA_FILE)}`);
