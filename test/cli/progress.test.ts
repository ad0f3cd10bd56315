import { createProgressReporter, renderBar } from '../../lambda/cli/progress';

function capture() {
  const chunks: string[] = [];
  return { write: (t: string) => void chunks.push(t), text: () => chunks.join(''), chunks };
}

describe('progress reporter', () => {
  it('redraws one bar line with \\r on a terminal and ends it with a newline', () => {
    const out = capture();
    const p = createProgressReporter({ write: out.write, isTTY: true, width: 10 });
    p.update({ pagesFetched: 1, pagesTotal: 4 });
    p.update({ pagesFetched: 4, pagesTotal: 4 });
    p.finish();
    p.finish();
    expect(out.chunks).toEqual([
      '\rlisting numbers [###-------]  25% 1/4 pages',
      '\rlisting numbers [##########] 100% 4/4 pages',
      '\n',
    ]);
  });

  it('clears the bar before a log line, so the two never share a line', () => {
    const out = capture();
    const p = createProgressReporter({ write: out.write, isTTY: true, width: 4 });
    p.update({ pagesFetched: 1, pagesTotal: 2 });
    p.line('number-audit: warning: slow');
    p.update({ pagesFetched: 1, pagesTotal: 2 });
    expect(out.text()).toBe(
      '\rlisting numbers [##--]  50% 1/2 pages\r\x1b[2Knumber-audit: warning: slow\n\rlisting numbers [##--]  50% 1/2 pages',
    );
  });

  it('writes plain lines elsewhere: the first page, each tenth, and the last', () => {
    const out = capture();
    const p = createProgressReporter({ write: out.write, isTTY: false });
    for (let i = 1; i <= 40; i++) p.update({ pagesFetched: i, pagesTotal: 40 });
    p.finish();
    const lines = out.text().trimEnd().split('\n');
    expect(lines[0]).toBe('fetched page 1 of 40');
    expect(lines).toContain('fetched page 4 of 40');
    expect(lines).not.toContain('fetched page 5 of 40');
    expect(lines[lines.length - 1]).toBe('fetched page 40 of 40');
    expect(lines).toHaveLength(11);
    expect(out.text()).not.toContain('\r');
  });

  it('says what it knows before the total is known', () => {
    expect(renderBar(3, null, 10)).toBe('listing numbers... 3 pages');
    const out = capture();
    createProgressReporter({ write: out.write, isTTY: false }).update({ pagesFetched: 1, pagesTotal: null });
    expect(out.text()).toBe('fetched page 1\n');
  });
});
