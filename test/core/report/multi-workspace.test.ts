import { checkAgents } from '../../../lambda/core/agents';
import { diffSnapshots } from '../../../lambda/core/changes';
import { renderHtml, renderReport, renderText, type ReportContext } from '../../../lambda/core/report';
import { toSnapshot } from '../../../lambda/core/snapshot';
import type { WorkspaceOutcome } from '../../../lambda/core/workspace';
import { failedWorkspace, phone, reportContext, unroutedNumbers, workspace } from '../fixtures';

const SCRIPT = '<script>alert(1)</script>';
const prodNumbers = [
  phone({ id: 'p1', phoneNumber: '+12015550001' }),
  phone({ id: 'p2', phoneNumber: '+12015550002', inboundAgentId: 'agt_gone' }),
  ...unroutedNumbers(2),
];
const prod = workspace(prodNumbers, {
  name: 'Prod',
  agents: checkAgents(prodNumbers, [{ id: 'agt_1', name: 'Main' }]),
  changes: {
    status: 'compared',
    changes: diffSnapshots(
      toSnapshot('Prod', new Date('2026-11-23T09:00:00Z'), true, [
        prodNumbers[0]!,
        phone({ id: 'old1', phoneNumber: '+12015559991' }),
        phone({ id: 'old2', phoneNumber: '+12015559992' }),
      ]),
      prodNumbers,
    ),
  },
});
const staging = workspace([phone({ id: 's1', phoneNumber: '+442071838750', countryCode: 'GB' })], {
  name: 'Staging',
  complete: false,
  incompleteReason: 'Listed 1 of 3 numbers the API reported.',
  agents: { status: 'skipped', reason: '403' },
  changes: { status: 'first-run' },
});
const beta = failedWorkspace(
  `Beta ${SCRIPT}`,
  'AUTH_FORBIDDEN',
  `DialNexa refused the key (403): check secret dialnexa/beta ${SCRIPT}`,
);
const workspaces: WorkspaceOutcome[] = [prod, beta, staging];
const ctx: ReportContext = { ...reportContext([]), workspaces };

/** Cell texts of the combined table's row for `name`. */
function summaryRow(html: string, name: string): string[] {
  const table = html.slice(html.indexOf('>3 workspaces</h2>'), html.indexOf('Workspace 1 of 3'));
  const start = table.lastIndexOf('<tr>', table.indexOf(`>${name}<`, table.indexOf('</tr>')));
  return table
    .slice(start, table.indexOf('</tr>', start))
    .split(/<\/td>/)
    .map((cell) => cell.replace(/<[^>]+>/g, '').trim())
    .filter((cell, i, all) => i < all.length - 1 || cell !== '');
}

describe('several workspaces: HTML', () => {
  const html = renderHtml(ctx);

  it('starts with a combined summary: totals, unrouted, missing agents, changes and status per workspace', () => {
    expect(html.indexOf('>3 workspaces</h2>')).toBeLessThan(html.indexOf('Workspace 1 of 3'));
    expect(html).toContain('5 numbers, 2 unrouted, 1 routed to a missing agent, 1 workspace failed.');
    expect(summaryRow(html, 'Prod')).toEqual(['Prod', '4', '2', '1', '+3 -2', 'OK']);
    expect(summaryRow(html, 'Staging')).toEqual(['Staging', '1', '0', 'skipped', 'first run', 'INCOMPLETE']);
    expect(summaryRow(html, 'Beta &lt;script&gt;alert(1)&lt;/script&gt;')).toEqual([
      'Beta &lt;script&gt;alert(1)&lt;/script&gt;',
      '-',
      '-',
      '-',
      '-',
      'FAILED',
    ]);
    expect(summaryRow(html, 'Total')).toEqual(['Total', '5', '2', '1', '', '']);
  });

  it('then one section per workspace, in configuration order', () => {
    const at = (s: string) => html.indexOf(s);
    expect(at('Workspace 1 of 3')).toBeLessThan(at('Workspace 2 of 3'));
    expect(at('Workspace 2 of 3')).toBeLessThan(at('Workspace 3 of 3'));
    expect(html.slice(at('Workspace 1 of 3'), at('Workspace 2 of 3'))).toContain('Changes since Mon 23 Nov 2026');
    expect(html.slice(at('Workspace 3 of 3'))).toContain('First report: there is no previous report to compare with.');
    expect(html.slice(at('Workspace 3 of 3'))).toContain('Agent checks skipped:');
  });

  it("shows a failed workspace's error, escaped, in a red box in its own section", () => {
    const section = html.slice(html.indexOf('Workspace 2 of 3'), html.indexOf('Workspace 3 of 3'));
    expect(section).toMatch(/border:2px solid #b91c1c[\s\S]*This workspace could not be audited/);
    expect(section).toContain('DialNexa refused the key (403): check secret dialnexa/beta &lt;script&gt;');
    expect(section).toContain('AUTH_FORBIDDEN');
    expect(section).not.toContain('Numbers by country and type');
    expect(html).not.toMatch(/<script/i);
  });

  it('puts the incomplete workspace, by name, in the red banner', () => {
    expect(html).toMatch(
      /INCOMPLETE REPORT<\/strong><br><strong>Staging:<\/strong> Listed 1 of 3 numbers the API reported\./,
    );
  });

  it('names every workspace in the footer', () => {
    expect(html).toContain('Workspaces:</strong> Prod, Beta &lt;script&gt;alert(1)&lt;/script&gt;, Staging');
  });

  it('keeps every fixed width within a 375 px phone', () => {
    const markup = html.replace(/<!--\[if mso\]>[\s\S]*?<!\[endif\]-->/g, '');
    const attributeWidths = [...markup.matchAll(/\swidth="(\d+)"/g)].map((m) => Number(m[1]));
    const cssWidths = [...markup.matchAll(/(?<!max-)width:\s*(\d+)px/g)].map((m) => Number(m[1]));
    expect([...attributeWidths, ...cssWidths].filter((w) => w > 375)).toEqual([]);
    const summary = html.slice(html.indexOf('>3 workspaces</h2>'), html.indexOf('Workspace 1 of 3'));
    expect(summary).not.toMatch(/<t[hd][^>]*width=/); // no column forced wide
  });
});

describe('several workspaces: text', () => {
  const text = renderText(ctx);

  it('mirrors the combined table and the sections', () => {
    expect(text).toContain('DialNexa number audit - 3 workspaces');
    expect(text).toContain('5 numbers, 2 unrouted, 1 routed to a missing agent, 1 workspace failed.');
    expect(text).toMatch(/^ {2}Prod +4 +2 +1 +\+3 -2 +OK$/m);
    expect(text).toMatch(/^ {2}Staging +1 +0 +skipped +first run +INCOMPLETE$/m);
    expect(text).toMatch(/^ {2}Beta <script>alert\(1\)<\/script> +- +- +- +- +FAILED$/m);
    expect(text).toContain('WORKSPACE 2 OF 3: Beta <script>alert(1)</script>');
    expect(text).toMatch(
      /^This workspace could not be audited\.\nDialNexa refused the key \(403\): check secret dialnexa\/beta <script>alert\(1\)<\/script>\nError code: AUTH_FORBIDDEN\. None of its numbers are in this report or the CSV\.$/m,
    );
    expect(text.indexOf('WORKSPACE 1 OF 3: Prod')).toBeLessThan(text.indexOf('WORKSPACE 3 OF 3: Staging'));
    expect(text).toMatch(/^INCOMPLETE REPORT:\n {2}Staging: Listed 1 of 3 numbers the API reported\.$/m);
  });
});

describe('several workspaces: renderReport', () => {
  it("renders the CSV from every audited workspace's numbers", () => {
    const { csv } = renderReport(ctx);
    const rows = csv.toString('utf8').trimEnd().split('\r\n').slice(1);
    expect(rows.map((r) => r.split(',').at(-4))).toEqual(['Prod', 'Prod', 'Prod', 'Prod', 'Staging']);
  });
});
