// The README is a guide that points into docs/; these checks keep it short and every pointer live.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const README = path.join(ROOT, 'README.md');
const DOCS = path.join(ROOT, 'docs');
const README_MAX_LINES = 200;

const docPages = fs
  .readdirSync(DOCS)
  .filter((f) => f.endsWith('.md'))
  .sort();
const markdownFiles = [README, ...docPages.map((f) => path.join(DOCS, f))];
const read = (file: string): string => fs.readFileSync(file, 'utf8');
const rel = (file: string): string => path.relative(ROOT, file);

/** Fenced code blocks hold shell comments and sample text, not headings or links. */
function withoutFences(markdown: string): string {
  return markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[ \t]*$/gm, '');
}

/** Inline code spans can hold bracketed text that is not a link. */
function withoutCode(markdown: string): string {
  return withoutFences(markdown).replace(/`[^`\n]*`/g, '');
}

interface Link {
  file: string;
  target: string;
}

function linksIn(file: string): Link[] {
  const links: Link[] = [];
  for (const m of withoutCode(read(file)).matchAll(/!?\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
    links.push({ file, target: m[1] });
  }
  return links;
}

const isExternal = (target: string): boolean => /^[a-z][a-z0-9+.-]*:/i.test(target);

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
function anchorsOf(file: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const m of withoutFences(read(file)).matchAll(/^#{1,6}[ \t]+(.+?)[ \t]*#*[ \t]*$/gm)) {
    const text = m[1].replace(/\[([^\]]*)\]\([^)]*\)/g, '$1');
    const slug = text
      .toLowerCase()
      .replace(/[^\p{L}\p{N} _-]/gu, '')
      .replace(/ /g, '-');
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    anchors.add(n === 0 ? slug : `${slug}-${n}`);
  }
  return anchors;
}

describe('README', () => {
  const readme = read(README);

  it(`is at most ${README_MAX_LINES} lines`, () => {
    expect(readme.split('\n').length).toBeLessThanOrEqual(README_MAX_LINES);
  });

  it('links every page of docs/, and only pages that exist', () => {
    const linked = new Set(
      linksIn(README)
        .map((l) => l.target.split('#')[0])
        .filter((t) => /^docs\/[^/]+\.md$/.test(t))
        .map((t) => t.slice('docs/'.length)),
    );
    expect([...linked].sort()).toEqual(docPages);
  });
});

describe('README and docs/', () => {
  const links = markdownFiles.flatMap(linksIn).filter((l) => !isExternal(l.target));

  it('have relative links to begin with', () => {
    expect(links.length).toBeGreaterThan(20);
  });

  it('link only to files that exist', () => {
    const broken = links
      .filter((l) => !l.target.startsWith('#'))
      .filter((l) => !fs.existsSync(path.resolve(path.dirname(l.file), decodeURI(l.target.split('#')[0]))))
      .map((l) => `${rel(l.file)} -> ${l.target}`);
    expect(broken).toEqual([]);
  });

  it('link only to headings that exist', () => {
    const broken = links
      .filter((l) => l.target.includes('#'))
      .filter((l) => {
        const [page, anchor] = l.target.split('#');
        const target = page === '' ? l.file : path.resolve(path.dirname(l.file), page);
        return !target.endsWith('.md') || !fs.existsSync(target) || !anchorsOf(target).has(anchor);
      })
      .map((l) => `${rel(l.file)} -> ${l.target}`);
    expect(broken).toEqual([]);
  });

  it('mention only npm scripts that package.json defines', () => {
    const scripts = Object.keys(JSON.parse(read(path.join(ROOT, 'package.json'))).scripts);
    const known = new Set(scripts);
    const mentioned = markdownFiles.flatMap((file) =>
      [...read(file).matchAll(/npm run(?:\s+(?:--silent|-s))?\s+([a-z][\w:-]*)/g)].map((m) => ({ file, name: m[1] })),
    );
    expect(mentioned.length).toBeGreaterThan(10);
    expect(mentioned.filter((m) => !known.has(m.name)).map((m) => `${rel(m.file)}: npm run ${m.name}`)).toEqual([]);
  });
});

describe('the anchor rule', () => {
  it('matches how GitHub names headings', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'docs-anchors-'));
    const file = path.join(dir, 'page.md');
    fs.writeFileSync(
      file,
      '# `audit.json`\n## The +44 policy\n### `[Action needed]`\n## Notes\n## Notes\n```sh\n# not a heading\n```\n',
    );
    try {
      expect([...anchorsOf(file)]).toEqual(['auditjson', 'the-44-policy', 'action-needed', 'notes', 'notes-1']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
