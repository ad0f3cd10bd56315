// A bad listing never becomes the baseline: one that drops to zero, or loses more than a share of
// the baseline, is reported loudly and keeps last week's baseline unless the operator confirms.
import type { Changes } from './changes';

export interface BaselineGuardOptions {
  /** Largest share (0-1) of the baseline a run may lose and still become the baseline; undefined: zero only. */
  maxLossShare?: number;
  /** The operator confirmed the loss (CLI --confirm-baseline, event confirmBaseline). */
  confirmed: boolean;
}

/** The guard fired: `held` keeps the previous baseline; `confirmed` moves it anyway. */
export interface BaselineGuard {
  status: 'held' | 'confirmed';
  /** `zero`: nothing was listed; `share`: more than `maxLossShare` of the baseline is missing. */
  rule: 'zero' | 'share';
  /** Numbers of the baseline missing from this listing. */
  missing: number;
  baselineTotal: number;
  listed: number;
  maxLossShare: number | null;
}

/** Undefined when the run lost too little to worry about, or there is no baseline compared with. */
export function guardBaseline(
  changes: Changes | undefined,
  listed: number,
  options: BaselineGuardOptions,
): BaselineGuard | undefined {
  if (changes === undefined) return undefined;
  const { added, removed } = changes;
  const missing = removed.length;
  const baselineTotal = listed - added.length + missing;
  if (baselineTotal === 0 || missing === 0) return undefined;
  const share = options.maxLossShare;
  const rule = listed === 0 ? 'zero' : share !== undefined && missing / baselineTotal > share ? 'share' : null;
  if (rule === null) return undefined;
  return {
    status: options.confirmed ? 'confirmed' : 'held',
    rule,
    missing,
    baselineTotal,
    listed,
    maxLossShare: share ?? null,
  };
}

/** Whether the guard lets this run become the baseline. */
export function guardAllowsBaseline(guard: BaselineGuard | undefined): boolean {
  return guard === undefined || guard.status === 'confirmed';
}
