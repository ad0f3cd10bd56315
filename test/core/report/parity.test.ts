// The HTML and the text part are two layouts of one report model: for the demo workspace they must
// carry the same sections, in the same order, with the same sentences and figures.
import { renderHtml, renderText, type ReportContext } from '../../../lambda/core/report';
import { cellText } from '../../../lambda/core/report/cells';
import { buildReport, type ReportModel, type Section } from '../../../lambda/core/report/model';
import { failedWorkspace } from '../fixtures';
import { demoAudit, demoContext } from './demo-context';

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", nbsp: ' ' };

/** What a reader of the HTML sees: no tags, entities decoded, whitespace collapsed. */
function visibleHtml(html: string): string {
  return (
    html
      .replace(/<!--[\s\S]*?-->/g, ' ')
      .replace(/<\/?(span|strong)\b[^>]*>/g, '')
      .replace(/<[^>]+>/g, ' ')
      .replace(/&(amp|lt|gt|quot|#39|nbsp);/g, (_, e: string) => ENTITIES[e] ?? '')
      .replace(/\u2011/g, '-')
      // Break opportunities in long words: invisible.
      .replace(/\u200b/g, '')
      .replace(/\s+/g, ' ')
  );
}

function visibleText(text: string): string {
  return text.replace(/\s+/g, ' ');
}

function htmlHeadings(html: string): string[] {
  return [...html.matchAll(/<h2[^>]*>([^<]*)<\/h2>/g)].map((m) => visibleHtml(m[1] ?? '').trim());
}

/** Lines underlined with "=" in the text part. */
function textHeadings(text: string): string[] {
  const lines = text.split('\n');
  return lines.flatMap((line, i) => (/^=+$/.test(lines[i + 1] ?? '') ? [line] : []));
}

function sentences(s: Section): string[] {
  return [
    ...s.lead,
    ...s.callouts.flatMap((c) => [c.label, ...(c.text ? [c.text] : []), ...(c.phones?.numbers ?? [])]),
    ...s.paragraphs.flatMap((p) => p.lines.map((l) => (l.label ? `${l.label} ${l.text}` : l.text))),
    ...s.notes.map((n) => n.text),
    ...s.tables.flatMap((t) => [...(t.title ? [t.title] : []), ...(t.truncated ? [t.truncated.text] : [])]),
  ];
}

function allSections(model: ReportModel): Section[] {
  return [...(model.summary ? [model.summary] : []), ...model.workspaces.flatMap((w) => (w.ok ? w.sections : []))];
}

/** Cells both parts must show; a narrow matrix shows only its row and column totals in the HTML. */
function sharedCells(s: Section): string[] {
  return s.tables.flatMap((t) => {
    const rows = t.narrow ? t.rows.map((r) => [r[0] ?? '', r.at(-1) ?? '']) : t.rows;
    return [...rows.flat(), ...(t.totals ?? [])].map(cellText).filter((c) => c !== '');
  });
}

describe.each<[string, () => ReportContext]>([
  ['the demo workspace', () => demoContext()],
  [
    'the demo workspace next to a failed one',
    () => demoContext({ workspaces: [demoAudit(), failedWorkspace('Acme staging')] }),
  ],
])('HTML and text parts of %s', (_name, context) => {
  const ctx = context();
  const model = buildReport(ctx);
  const html = renderHtml(ctx);
  const text = renderText(ctx);
  const seenHtml = visibleHtml(html);
  const seenText = visibleText(text);

  it('have the same section headings, in the same order', () => {
    const workspaceHeadings = htmlHeadings(html).filter((h) => h !== model.summary?.title);
    expect(workspaceHeadings.length).toBeGreaterThanOrEqual(7);
    expect(textHeadings(text)).toEqual(workspaceHeadings.map((h) => h.toUpperCase()));
    expect(workspaceHeadings).toEqual(model.workspaces.flatMap((w) => (w.ok ? w.sections.map((s) => s.title) : [])));
  });

  it('carry every sentence of every section, the footer and the failure', () => {
    const all = [
      ...allSections(model).flatMap(sentences),
      model.footer.note,
      ...model.footer.lines.map((l) => `${l.label}: ${l.text}`),
      ...model.workspaces.flatMap((w) => (w.ok ? [w.scope] : [w.title, w.message, w.note])),
    ];
    expect(all.length).toBeGreaterThan(20);
    for (const sentence of all) {
      const seen = visibleText(sentence).trim();
      expect({ sentence: seen, html: seenHtml.includes(seen) }).toEqual({ sentence: seen, html: true });
      expect({ sentence: seen, text: seenText.includes(seen) }).toEqual({ sentence: seen, text: true });
    }
    expect(text).toContain('Assign an agent or release the number.');
    expect(text).toContain('Assign an existing agent.');
  });

  it('show the same figures: headline tiles, table cells and totals', () => {
    for (const w of model.workspaces) {
      if (!w.ok) continue;
      for (const f of w.figures) {
        expect(text).toMatch(
          new RegExp(`^ {2}${f.label.replace(/[()]/g, '\\$&')} +${f.value.replace('$', '\\$')}$`, 'm'),
        );
        if (f.tile) expect(seenHtml).toContain(` ${f.tile.label} ${f.value} `);
      }
    }
    const cells = allSections(model).flatMap(sharedCells);
    expect(cells.length).toBeGreaterThan(100);
    for (const cell of new Set(cells)) {
      expect({ cell, html: seenHtml.includes(cell) }).toEqual({ cell, html: true });
      expect({ cell, text: seenText.includes(cell) }).toEqual({ cell, text: true });
    }
  });

  it('agree on every dollar amount the HTML shows', () => {
    const amounts = (s: string) => new Set(s.match(/\$[\d,]+\.\d\d/g));
    const inText = amounts(seenText);
    const missing = [...amounts(seenHtml.replace(/^[\s\S]*?<\/title>/, ''))].filter((a) => !inText.has(a));
    expect(missing).toEqual([]);
  });
});
