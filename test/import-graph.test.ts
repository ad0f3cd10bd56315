// The shape of lambda/'s imports: no cycles (type-only imports count: they couple modules too),
// the core never reaches out, and adapters know the ports, never the orchestrator.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..');
const LAMBDA = join(ROOT, 'lambda');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

// `import ... from './x'`, `export ... from './x'`, `import './x'`, `import('./x')`.
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(?\s*)'(\.{1,2}\/[^']*)'/g;

function resolveImport(from: string, specifier: string): string {
  const base = resolve(dirname(from), specifier);
  for (const candidate of [`${base}.ts`, join(base, 'index.ts'), base]) {
    if (statSync(candidate, { throwIfNoEntry: false })?.isFile()) return candidate;
  }
  throw new Error(`${relative(ROOT, from)} imports ${specifier}, which does not resolve`);
}

/** Repository-relative path -> the repository-relative paths it imports. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(LAMBDA)) {
    const text = readFileSync(file, 'utf8');
    const targets = [...text.matchAll(SPECIFIER)].map((m) => relative(ROOT, resolveImport(file, m[1])));
    graph.set(relative(ROOT, file), [...new Set(targets)]);
  }
  return graph;
}

/** The first cycle found, as a path that starts and ends on the same module; null when none. */
function findCycle(graph: Map<string, string[]>): string[] | null {
  const done = new Set<string>();
  const stack: string[] = [];
  const visit = (node: string): string[] | null => {
    const at = stack.indexOf(node);
    if (at !== -1) return [...stack.slice(at), node];
    if (done.has(node)) return null;
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    stack.pop();
    done.add(node);
    return null;
  };
  for (const node of graph.keys()) {
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return null;
}

const ORCHESTRATOR = ['run-audit', 'workspace-run', 'claim', 'send-report', 'history'].map(
  (name) => `lambda/core/${name}.ts`,
);

describe('lambda/ imports', () => {
  const graph = importGraph();
  const edges = [...graph].flatMap(([from, targets]) => targets.map((to) => ({ from, to })));

  it('are read from every module, type-only imports included', () => {
    expect(graph.get('lambda/core/run-audit.ts')).toEqual(expect.arrayContaining(['lambda/core/workspace-run.ts']));
    expect(graph.get('lambda/core/audit-json.ts')).toEqual(expect.arrayContaining(['lambda/core/run-types.ts']));
    expect(graph.get('lambda/handler/run-handler.ts')).toEqual(
      expect.arrayContaining(['lambda/core/run-audit.ts', 'lambda/adapters/dialnexa/index.ts']),
    );
  });

  it('form no cycle', () => {
    expect(findCycle(graph)?.join(' -> ') ?? null).toBeNull();
  });

  it('finds a cycle when there is one', () => {
    const looped = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['b']],
    ]);
    expect(findCycle(looped)).toEqual(['b', 'c', 'b']);
  });

  it('keep the core free of adapters and entry points', () => {
    const outward = edges.filter(({ from, to }) => from.startsWith('lambda/core/') && !to.startsWith('lambda/core/'));
    expect(outward).toEqual([]);
  });

  it('give adapters the ports, never the orchestrator', () => {
    const wrong = edges.filter(({ from, to }) => from.startsWith('lambda/adapters/') && ORCHESTRATOR.includes(to));
    expect(wrong).toEqual([]);
    expect(edges.some(({ from, to }) => from.startsWith('lambda/adapters/') && to === 'lambda/core/ports.ts')).toBe(
      true,
    );
  });
});
