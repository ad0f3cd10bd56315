import { escapeHtml, renderHtml, renderWorkspaceSection } from '../../../lambda/core/report';
import { UNKNOWN_COUNTRY } from '../../../lambda/core/types';
import { failedWorkspace, phone, reportContext, unroutedNumbers, workspace } from '../fixtures';

const SCRIPT = '<script>alert(1)</script>';
const ATTRIBUTE_BREAKOUT = '"><img src=x onerror=alert(1)>';

/** Markup outside Outlook-only conditional comments, which other clients never render. */
function withoutMsoComments(html: string): string {
  return html.replace(/<!--\[if mso\]>[\s\S]*?<!\[endif\]-->/g, '');
}

function bodyOf(html: string): string {
  const match = /<body[^>]*>([\s\S]*)<\/body>/.exec(html);
  if (!match?.[1]) throw new Error('no body');
  return match[1];
}

describe('escapeHtml', () => {
  it('escapes the five HTML-significant characters', () => {
    expect(escapeHtml(`& < > " '`)).toBe('&amp; &lt; &gt; &quot; &#39;');
  });
});

describe('renderHtml: untrusted text is inert', () => {
  const hostile = [
    phone({
      id: 'h1',
      phoneNumber: '+12015550001',
      inboundAgentId: null,
      nickname: SCRIPT,
      provider: SCRIPT,
      status: 'active',
    }),
    phone({
      id: 'h2',
      phoneNumber: '+12015550002',
      inboundAgentId: null,
      nickname: ATTRIBUTE_BREAKOUT,
      provider: ATTRIBUTE_BREAKOUT,
    }),
    phone({ id: 'h3', status: `<b>odd</b>`, countryCode: 'US' }),
  ];
  const html = renderHtml(
    reportContext(hostile, {
      name: `${ATTRIBUTE_BREAKOUT}${SCRIPT}`,
      onDemandHint: `${SCRIPT} see https://evil.example/x`,
      complete: false,
      incompleteReason: ATTRIBUTE_BREAKOUT,
      attachmentNote: SCRIPT,
    }),
  );

  it('shows the hostile nickname and workspace name as escaped text', () => {
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('&lt;b&gt;odd&lt;/b&gt;');
  });

  it('contains no raw script, img or injected tag anywhere', () => {
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toContain('<b>odd');
    expect(html).not.toMatch(/"><img/);
  });

  it('loads nothing external: no src or href attribute at all, no remote CSS', () => {
    expect(html).not.toMatch(/<[^>]*\s(src|href|background)\s*=/i);
    expect(html).not.toMatch(/<link\b/i);
    expect(html).not.toMatch(/@import|url\(/i);
  });
});

describe('renderHtml: layout for mail clients', () => {
  const html = renderHtml(reportContext([phone(), ...unroutedNumbers(3)]));

  it('is a complete document with inline styles only', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(html).not.toMatch(/<style\b/i);
    expect(html).not.toMatch(/\sclass=/);
  });

  it('is fluid up to 600 px, with no fixed width wider than a 375 px phone', () => {
    const markup = withoutMsoComments(html);
    expect(markup).toContain('max-width:600px');
    const attributeWidths = [...markup.matchAll(/\swidth="(\d+)"/g)].map((m) => Number(m[1]));
    const cssWidths = [...markup.matchAll(/(?<!max-)width:\s*(\d+)px/g)].map((m) => Number(m[1]));
    expect([...attributeWidths, ...cssWidths].filter((w) => w > 375)).toEqual([]);
  });

  it('uses short headers for the country x type matrix, "Toll-free" with a non-breaking hyphen', () => {
    for (const label of ['Country', 'Local', 'Toll\u2011free', 'Mobile', 'Unknown', 'Total'])
      expect(html).toContain(`>${label}</th>`);
    expect(html).not.toMatch(/<th[^>]*>[^<]*-[^<]*<\/th>/);
  });

  it('keeps the plain hyphen in body cells, which stay searchable and copyable', () => {
    const tollFree = renderHtml(
      reportContext([phone({ id: 't', phoneNumber: '+18005550100', type: 'toll_free', inboundAgentId: null })]),
    );
    expect(tollFree).toMatch(/<td[^>]*>Toll-free<\/td>/);
  });

  it('gives a long unbroken word a zero-width space every 10 characters, so it cannot widen a phone layout', () => {
    // overflow-wrap and word-break are ignored by most mail clients; a zero-width space is not.
    const long = 'CustomerSupportOverflowLineForTheNorthernRegion';
    const wide = renderHtml(reportContext([phone({ id: 'w', inboundAgentId: null, nickname: long })]));
    expect(wide).not.toContain(long);
    const cell = /<td[^>]*>(Customer[^<]*)<\/td>/.exec(wide)?.[1] ?? '';
    expect(cell.replace(/\u200b/g, '')).toBe(long);
    expect(Math.max(...cell.split('\u200b').map((part) => part.length))).toBe(10);
    expect(wide).not.toMatch(/overflow-wrap|word-break|white-space/);
  });

  it('leaves words with their own break (a hyphen, a space) and numbers whole', () => {
    const hyphenated = 'Customer-support-overflow-line-for-the-northern-region';
    const html = renderHtml(reportContext([phone({ id: 'w', inboundAgentId: null, nickname: hyphenated })]));
    expect(html).toContain(`>${hyphenated}</td>`);
    expect(html).toMatch(/<td[^>]*><span style="[^"]*">\+12015550100<\/span><\/td>/);
  });

  it('keeps figures on one line with the nowrap attribute, which Outlook for Windows honours', () => {
    const html = renderHtml(reportContext(unroutedNumbers(3)));
    expect(html).toMatch(/<td align="right" nowrap [^>]*>/);
    expect(html).toMatch(/<th align="left"[^>]* nowrap [^>]*>Country<\/th>/);
  });
});

describe('renderHtml: content', () => {
  it('lists the first 100 unrouted numbers, then says how many more are in the CSV', () => {
    const html = renderHtml(reportContext(unroutedNumbers(130)));
    expect(html).toContain('+12015550099'); // the 100th
    expect(html).not.toContain('+12015550100'); // the 101st
    expect(html).toContain('and 30 more in the CSV');
  });

  it('honours a custom limit and says when the CSV was left out', () => {
    const html = renderHtml(reportContext(unroutedNumbers(8), { unroutedLimit: 5, attachment: 'omitted' }));
    expect(html).toContain('+12015550004');
    expect(html).not.toContain('+12015550005');
    expect(html).toContain('and 3 more (the CSV was not attached)');
    expect(html).toContain('too large to attach');
  });

  it('shows every unrouted number and no "more" line when under the limit', () => {
    const html = renderHtml(reportContext(unroutedNumbers(3)));
    expect(html).toContain('+12015550002');
    expect(html).not.toMatch(/and \d+ more/);
  });

  it('says plainly when nothing is unrouted', () => {
    expect(renderHtml(reportContext([phone()]))).toContain('Every active number has an inbound agent.');
  });

  it('puts a red INCOMPLETE banner first in the body, and only when incomplete', () => {
    const html = renderHtml(
      reportContext([phone()], { complete: false, incompleteReason: 'Listed 1,240 of 1,250 numbers.' }),
    );
    const body = bodyOf(html).trimStart();
    expect(body.startsWith('<table')).toBe(true);
    const firstTable = body.slice(0, body.indexOf('</table>'));
    expect(firstTable).toContain('INCOMPLETE REPORT');
    expect(firstTable).toContain('Listed 1,240 of 1,250 numbers.');
    expect(firstTable).toMatch(/background:#b91c1c/);
    expect(renderHtml(reportContext([phone()]))).not.toMatch(/incomplete/i);
  });

  it('shows the matrix with row and column totals', () => {
    const html = renderHtml(
      reportContext([
        phone({ countryCode: 'US', type: 'local' }),
        phone({ countryCode: 'US', type: 'toll_free' }),
        phone({ countryCode: 'GB', type: 'mobile' }),
        phone({ countryCode: UNKNOWN_COUNTRY, type: 'unknown' }),
      ]),
    );
    const matrix = html.slice(html.indexOf('Numbers by country and type'));
    const rowText = (label: string) => {
      const start = matrix.indexOf(`<strong>${label}</strong>`);
      const row = matrix.slice(start, matrix.indexOf('</tr>', start));
      return row
        .replace(/<br>.*?<\/span>/, '')
        .replace(/<[^>]+>/g, '|')
        .split('|')
        .filter((s) => s.trim() !== '');
    };
    expect(rowText('US')).toEqual(['US', '1', '1', '0', '0', '2']);
    expect(rowText('Unknown')).toEqual(['Unknown', '0', '0', '0', '1', '1']);
    const totalsStart = matrix.lastIndexOf('<tr>', matrix.indexOf('>Total</td>'));
    const totals = matrix
      .slice(totalsStart, matrix.indexOf('</tr>', totalsStart))
      .replace(/<[^>]+>/g, '|')
      .split('|')
      .filter((s) => s.trim() !== '');
    expect(totals).toEqual(['Total', '1', '1', '1', '1', '4']);
  });

  it('shows known cost by country and type, and how many numbers have none', () => {
    const html = renderHtml(
      reportContext([
        phone({ countryCode: 'US', monthlyCostUsd: 1.15 }),
        phone({ countryCode: 'US', type: 'toll_free', monthlyCostUsd: 2 }),
        phone({ countryCode: 'GB', monthlyCostUsd: null }),
      ]),
    );
    expect(html).toContain('$3.15');
    expect(html).toContain('$2.00');
    expect(html).toContain('Known for 2 of 3 numbers; 1 without a cost are not included.');
  });

  it('ends with a footer naming the time, zone, workspace, filters and how to run it on demand', () => {
    const html = renderHtml(
      reportContext([phone()], {
        generatedAt: new Date('2026-11-30T23:30:00Z'),
        timeZone: 'Asia/Kolkata',
        filters: { countryCode: 'IN', type: 'mobile' },
      }),
    );
    expect(html).toContain('Tue 1 Dec 2026 05:00 GMT+5:30 (Asia/Kolkata)');
    expect(html).toContain('country IN, type mobile');
    expect(html).toContain('Run `npm run audit` locally');
  });

  it('renders one workspace as a self-contained block', () => {
    const section = renderWorkspaceSection(workspace(unroutedNumbers(2), { name: 'Second & co' }), {
      timeZone: 'Europe/London',
      attachment: 'csv',
    });
    expect(section).toContain('Second &amp; co');
    expect(section).toContain('+12015550001');
    expect(section).not.toContain('<body');
    // Balanced table markup, so sections can be stacked inside one container.
    expect(section.match(/<table\b/g)?.length).toBe(section.match(/<\/table>/g)?.length);
    const failed = renderWorkspaceSection(
      failedWorkspace('Beta & co', 'UPSTREAM_DOWN', 'DialNexa is down; the next run retries.'),
      { timeZone: 'UTC', attachment: 'csv' },
      'Workspace 2 of 2',
    );
    expect(failed).toContain('Beta &amp; co');
    expect(failed).toContain('DialNexa is down; the next run retries.');
    expect(failed).toContain('Workspace 2 of 2');
    expect(failed.match(/<table\b/g)?.length).toBe(failed.match(/<\/table>/g)?.length);
  });
});
