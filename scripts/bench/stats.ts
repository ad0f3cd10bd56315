// Small numeric and formatting helpers shared by the benchmark sections.

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function round(value: number, digits = 0): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** 1234 -> "1,234 ms"; >= 10 s -> "12.3 s". */
export function ms(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  return value >= 10_000 ? `${(value / 1000).toFixed(1)} s` : `${Math.round(value).toLocaleString('en-US')} ms`;
}

export function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export function kb(bytes: number): string {
  return `${Math.round(bytes / 1024).toLocaleString('en-US')} KB`;
}

export function count(n: number): string {
  return n.toLocaleString('en-US');
}

export const mark = (ok: boolean): string => (ok ? '✓' : '✗');

/** Progress lines go to stderr so `--json` keeps stdout to one JSON object. */
export function note(text: string): void {
  process.stderr.write(`${text}\n`);
}
