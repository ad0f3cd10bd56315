// The Node binary of the deployed runtime's major version ("nodejs24.x" -> 24): this one if it is
// that major, else the `node` npm package of that major through npx (cached after the first run).
import { execFileSync } from 'node:child_process';

export type NodeBinary = { path: string; version: string } | { path: undefined; reason: string };

export function lambdaNodeMajor(runtime: string): number {
  const m = /^nodejs(\d+)\.x$/.exec(runtime);
  if (!m) throw new Error(`not a Lambda Node.js runtime: ${runtime}`);
  return Number(m[1]);
}

export function nodeBinary(major: number): NodeBinary {
  if (Number(process.versions.node.split('.')[0]) === major)
    return { path: process.execPath, version: process.version };
  try {
    const out = execFileSync(
      'npx',
      ['-y', '-p', `node@${major}`, 'node', '-e', 'process.stdout.write(process.execPath + " " + process.version)'],
      { encoding: 'utf8', timeout: 180_000, stdio: ['ignore', 'pipe', 'pipe'] },
    ).trim();
    const [binary, version] = out.split(' ');
    if (!version?.startsWith(`v${major}.`)) return { path: undefined, reason: `npx gave Node ${version}` };
    return { path: binary, version };
  } catch (e) {
    return { path: undefined, reason: `npx -p node@${major} failed: ${(e as Error).message.split('\n')[0]}` };
  }
}
