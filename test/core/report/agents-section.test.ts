import { checkAgents } from '../../../lambda/core/agents';
import { renderHtml, renderText } from '../../../lambda/core/report';
import type { PhoneNumber } from '../../../lambda/core/types';
import { phone, reportContext } from '../fixtures';

const numbers: PhoneNumber[] = [
  phone({ id: 's1', phoneNumber: '+12015550001', inboundAgentId: 'agt_sales' }),
  phone({ id: 's2', phoneNumber: '+12015550002', inboundAgentId: 'agt_sales' }),
  phone({ id: 'h1', phoneNumber: '+12015550003', inboundAgentId: 'agt_help' }),
  phone({ id: 'u1', phoneNumber: '+12015550004', inboundAgentId: null }),
  phone({ id: 'm1', phoneNumber: '+12015550005', inboundAgentId: 'agt_deleted', nickname: 'Old line' }),
];
const agents = checkAgents(numbers, [
  { id: 'agt_sales', name: 'Sales <bot>' },
  { id: 'agt_help', name: null },
]);

describe('routed to a missing agent', () => {
  const ctx = reportContext(numbers, { agents });
  const html = renderHtml(ctx);
  const text = renderText(ctx);

  it('lists the numbers whose agent does not exist, next to the unrouted ones and before the matrix', () => {
    const start = html.indexOf('Routed to a missing agent');
    expect(start).toBeGreaterThan(html.indexOf('Unrouted numbers'));
    expect(start).toBeLessThan(html.indexOf('Numbers by country and type'));
    const section = html.slice(start, html.indexOf('Numbers by country and type'));
    expect(section).toContain('1 number points at an agent that does not exist in the workspace');
    expect(section).toContain('+12015550005');
    expect(section).toContain('agt_deleted');
    expect(section).toContain('Old line');
    expect(section).not.toContain('+12015550004'); // unrouted is its own finding
  });

  it('mirrors it in the text part, with a headline figure', () => {
    expect(text).toMatch(/^ {2}Routed to a missing agent +1$/m);
    expect(text.indexOf('ROUTED TO A MISSING AGENT')).toBeGreaterThan(text.indexOf('UNROUTED NUMBERS'));
    expect(text).toMatch(/^ {2}\+12015550005 +US +agt_deleted +Old line$/m);
  });

  it('shows where routed numbers go, by agent name (escaped), most numbers first', () => {
    const start = html.indexOf('Routed numbers by agent');
    const section = html.slice(start, html.indexOf('Numbers by country and type'));
    expect(section).toContain('Sales &lt;bot&gt;');
    expect(section).not.toContain('Sales <bot>');
    expect(section.indexOf('agt_sales')).toBeLessThan(section.indexOf('agt_help'));
    expect(section).toContain('(no name)');
    expect(section).not.toContain('agt_deleted');
    expect(text).toMatch(/^ {2}Sales <bot> +agt_sales +2$/m);
    expect(text).toMatch(/^ {2}\(no name\) +agt_help +1$/m);
  });

  it('says so when every routed number points at an existing agent', () => {
    const fine = numbers.slice(0, 4);
    const ctxFine = reportContext(fine, {
      agents: checkAgents(fine, [
        { id: 'agt_sales', name: 'S' },
        { id: 'agt_help', name: 'H' },
      ]),
    });
    expect(renderHtml(ctxFine)).toContain('Every routed number points at one of the workspace&#39;s 2 agents.');
    expect(renderText(ctxFine)).toContain("None. Every routed number points at one of the workspace's 2 agents.");
  });

  it('says the checks were skipped and why, and the rest of the report is still there', () => {
    const ctxSkipped = reportContext(numbers, {
      agents: { status: 'skipped', reason: 'the API key may not read agents (403)' },
    });
    const skippedHtml = renderHtml(ctxSkipped);
    expect(skippedHtml).toContain('Agent checks skipped:</strong> the API key may not read agents (403).');
    expect(skippedHtml).toContain('Numbers by country and type');
    expect(skippedHtml).not.toContain('Routed numbers by agent');
    expect(renderText(ctxSkipped)).toContain('Agent checks skipped: the API key may not read agents (403).');
    expect(renderText(ctxSkipped)).not.toMatch(/^ {2}Routed to a missing agent/m);
  });

  it('says nothing about agents when the check was not attempted', () => {
    const plain = reportContext(numbers);
    expect(renderHtml(plain)).not.toMatch(/missing agent|by agent|Agent checks/i);
    expect(renderText(plain)).not.toMatch(/missing agent|by agent|Agent checks/i);
  });
});

describe('cost sources', () => {
  const many = [
    ...Array.from({ length: 812 }, (_, i) => phone({ id: `a${i}`, monthlyCostUsd: 1, costSource: 'api' })),
    ...Array.from({ length: 400 }, (_, i) => phone({ id: `r${i}`, monthlyCostUsd: 2, costSource: 'rate-card' })),
    ...Array.from({ length: 38 }, (_, i) => phone({ id: `u${i}`, monthlyCostUsd: null, costSource: 'unknown' })),
  ];
  const ctx = reportContext(many);

  it('tells how many costs came from the API, the rate card, or are unknown', () => {
    expect(renderHtml(ctx)).toContain('Cost sources: 812 from the API, 400 from the rate card, 38 unknown.');
    expect(renderText(ctx)).toContain('Cost sources: 812 from the API, 400 from the rate card, 38 unknown.');
    expect(renderText(ctx)).toMatch(/^ {2}Monthly cost \(known\) +\$1,612\.00$/m);
  });

  it('leaves out sources nobody used', () => {
    expect(renderText(reportContext([phone({ monthlyCostUsd: 3, costSource: 'rate-card' })]))).toContain(
      'Cost sources: 1 from the rate card.',
    );
  });

  it('says when no cost is known at all', () => {
    const none = reportContext([phone({ monthlyCostUsd: null, costSource: 'unknown' })]);
    expect(renderHtml(none)).toContain('No monthly cost is known for any number');
    expect(renderText(none)).toContain('No monthly cost is known for any number');
  });
});
