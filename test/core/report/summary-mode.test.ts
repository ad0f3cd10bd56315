// The last resort of the size policy: headline figures only, always far under 1 MB.
import { auditNumbers } from '../../../lambda/core/audit';
import { renderBodies } from '../../../lambda/core/report';
import { failedWorkspace, phone, reportContext, workspace } from '../fixtures';

const ONE_MB = 1_000_000;

describe('the summary-only email', () => {
  const numbers = Array.from({ length: 3_000 }, (_, i) =>
    phone({
      id: `phn_${i}`,
      phoneNumber: `+1201555${String(i).padStart(4, '0')}`,
      inboundAgentId: i % 2 ? null : 'agt_1',
      provider: `provider-${i}`,
    }),
  );

  it('keeps the figures, says why the rest is missing, and drops every table', () => {
    const full = renderBodies(reportContext(numbers, { attachment: 'omitted' }));
    const summary = renderBodies(reportContext(numbers, { attachment: 'summary' }));
    expect(summary.text).toContain('The full report did not fit in an email');
    expect(summary.html).toContain('The full report did not fit in an email');
    expect(summary.text).toContain('1,500'); // unrouted
    expect(summary.text).not.toContain('provider-7');
    expect(full.text).toContain('provider-');
    expect(summary.html.length).toBeLessThan(full.html.length / 2);
  });

  it('stays under 1 MB with 20 workspaces of long names, failures and huge counts', () => {
    const big = auditNumbers(numbers);
    const workspaces = Array.from({ length: 20 }, (_, i) =>
      i % 5 === 4
        ? failedWorkspace(`Failed ${'w'.repeat(90)} ${i}`, 'API_ERROR', 'x'.repeat(100_000))
        : workspace(numbers, { name: `Workspace ${'n'.repeat(90)} ${i}`, audit: { ...big, total: 9_999_999 } }),
    );
    const ctx = { ...reportContext([]), workspaces, attachment: 'summary' as const };
    const { html, text, subject } = renderBodies(ctx);
    expect(Buffer.byteLength(html) + Buffer.byteLength(text) + Buffer.byteLength(subject)).toBeLessThan(ONE_MB);
    // A server's error text is bounded too.
    expect(text).not.toContain('x'.repeat(600));
  });
});
