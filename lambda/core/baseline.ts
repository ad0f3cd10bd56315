// Whether a run becomes the baseline the next run's changes are compared with: decided once, per
// workspace, before the report is rendered, so the email, the CLI and the archive all say the same.
import { type BaselineGuard, guardAllowsBaseline } from './baseline-guard';
import { isUnfiltered } from './filters';
import { formatCount } from './report/format';
import type { ListFilters } from './types';

export type NotBaselineReason =
  | 'no-history'
  | 'one-off'
  | 'incomplete'
  | 'filtered'
  | 'unverified'
  | 'history-unreadable'
  | 'empty'
  | 'guard-held';

export type BaselineDecision = { moves: true } | { moves: false; reason: NotBaselineReason };

export interface BaselineFacts {
  /** History is kept for this run (an archive, and a run that writes to it). */
  history: boolean;
  /** False for one-off runs (a console test to other recipients). */
  moveBaseline: boolean;
  filters: ListFilters;
  complete: boolean;
  /** Why the count is not verified, when it is not. */
  unverified?: string;
  /** The changes section's status (workspace.ts ChangesSection), typed here without importing it. */
  changes?: { status: 'first-run' | 'compared' | 'skipped'; historyUnreadable?: true };
  listed: number;
  guard?: BaselineGuard;
}

/** What rules a run out before anything is listed (the listing verifies its count only if not). */
export function ruledOutBeforeListing(f: Pick<BaselineFacts, 'history' | 'moveBaseline' | 'filters'>) {
  if (!f.history) return 'no-history';
  if (!f.moveBaseline) return 'one-off';
  if (!isUnfiltered(f.filters)) return 'filtered';
  return undefined;
}

/** The first reason that keeps this run from becoming the baseline, in the order a reader would ask. */
export function decideBaseline(f: BaselineFacts): BaselineDecision {
  const reason = ((): NotBaselineReason | undefined => {
    const early = ruledOutBeforeListing(f);
    if (early) return early;
    if (!f.complete) return 'incomplete';
    if (f.unverified !== undefined) return 'unverified';
    // Without the previous run to compare with, a bad listing could not be told from a good one.
    if (f.changes?.status === 'skipped' && f.changes.historyUnreadable) return 'history-unreadable';
    // Nothing listed and nothing compared: only a genuine first run may start from zero.
    if (f.listed === 0 && f.changes?.status !== 'first-run' && f.changes?.status !== 'compared') return 'empty';
    if (!guardAllowsBaseline(f.guard)) return 'guard-held';
    return undefined;
  })();
  return reason === undefined ? { moves: true } : { moves: false, reason };
}

/** Why the run is not the baseline, as the CLI and the report say it. */
export function notBaselineText(reason: NotBaselineReason, guard?: BaselineGuard): string {
  switch (reason) {
    case 'no-history':
      return 'no history is kept for this run';
    case 'one-off':
      return 'a one-off run';
    case 'incomplete':
      return 'incomplete';
    case 'filtered':
      return 'filtered';
    case 'unverified':
      return 'the count is not verified';
    case 'history-unreadable':
      return 'the run history could not be read, so this listing could not be checked against it';
    case 'empty':
      return 'nothing was listed and there was no earlier run to check that against';
    case 'guard-held':
      return `held by the baseline guard: ${guard ? formatCount(guard.missing) : 'some'} numbers missing since the last report`;
  }
}
