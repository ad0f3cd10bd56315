import { isRunPrefixOf, runPrefix, workspaceSlug } from '../../../lambda/adapters/archive/layout';

describe('workspaceSlug', () => {
  it.each([
    ['Acme Corp (EU)', 'acme-corp-eu'],
    ['Café Zürich', 'cafe-zurich'],
    ['../../etc/passwd', 'etc-passwd'],
    ['--Prod--', 'prod'],
    ['a'.repeat(80), 'a'.repeat(63)],
  ])('%s -> %s', (name, slug) => {
    expect(workspaceSlug(name)).toBe(slug);
  });

  it('gives names without Latin letters or digits distinct stable slugs', () => {
    const a = workspaceSlug('営業部');
    expect(a).toMatch(/^workspace-[0-9a-f]{12}$/);
    expect(workspaceSlug('営業部')).toBe(a);
    expect(workspaceSlug('経理部')).not.toBe(a);
  });

  it('rejects an empty name', () => {
    expect(() => workspaceSlug('  ')).toThrow(/empty/);
  });
});

describe('run prefixes', () => {
  it('are recognised only for their own workspace', () => {
    const prefix = runPrefix('Acme', new Date('2026-01-05T00:00:00Z'), 'r-1');
    expect(prefix).toBe('reports/acme/2026/01/05/r-1/');
    expect(isRunPrefixOf('Acme', prefix)).toBe(true);
    expect(isRunPrefixOf('Beta', prefix)).toBe(false);
    expect(isRunPrefixOf('Acme', 'reports/acme/2026/01/05/../')).toBe(false);
    expect(isRunPrefixOf('Acme', 'reports/acme/2026/01/05/r-1')).toBe(false);
  });
});
