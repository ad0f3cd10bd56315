import { decideBaseline, type BaselineFacts } from '../../lambda/core/baseline';

const ok: BaselineFacts = {
  history: true,
  moveBaseline: true,
  filters: {},
  complete: true,
  changes: { status: 'compared' },
  listed: 10,
};

describe('decideBaseline', () => {
  it('lets a complete, verified, unfiltered run with history become the baseline', () => {
    expect(decideBaseline(ok)).toEqual({ moves: true });
    expect(decideBaseline({ ...ok, changes: { status: 'first-run' }, listed: 0 })).toEqual({ moves: true });
  });

  it.each([
    ['no-history', { history: false }],
    ['one-off', { moveBaseline: false }],
    ['incomplete', { complete: false }],
    ['filtered', { filters: { countryCode: 'US' } }],
    ['unverified', { unverified: 'no total' }],
    ['history-unreadable', { changes: { status: 'skipped', historyUnreadable: true } }],
    ['empty', { listed: 0, changes: { status: 'skipped' } }],
    [
      'guard-held',
      {
        guard: { status: 'held', rule: 'zero', missing: 10, baselineTotal: 10, listed: 0, maxLossShare: 0.5 },
      },
    ],
  ] as Array<[string, Partial<BaselineFacts>]>)('keeps the baseline: %s', (reason, change) => {
    expect(decideBaseline({ ...ok, ...change })).toEqual({ moves: false, reason });
  });

  it('moves it after a corrupt previous snapshot when something was listed (the history heals)', () => {
    expect(decideBaseline({ ...ok, changes: { status: 'skipped' } })).toEqual({ moves: true });
  });

  it('lets a loss the operator confirmed through', () => {
    const guard = {
      status: 'confirmed',
      rule: 'zero',
      missing: 10,
      baselineTotal: 10,
      listed: 0,
      maxLossShare: 0.5,
    } as const;
    expect(decideBaseline({ ...ok, listed: 0, guard })).toEqual({ moves: true });
  });
});
