// Where one CLI run's time went, printed with --verbose: what `npm run bench` reads to split the
// end-to-end wall time into phases. Start-up counts from the process's own start (Node, then
// loading the bundle), so it is what the user waited for before main ran.
import type { NumberLister, ReportEmailBuilder } from '../core/ports';

export const PHASES = ['start-up', 'listing', 'normalize/audit/render', 'email', 'write'] as const;
export type Phase = (typeof PHASES)[number];

export interface RunTimings {
  /** Wraps the lister so the time spent listing is known. */
  lister<L extends NumberLister>(lister: L): L;
  emailBuilder(builder: ReportEmailBuilder): ReportEmailBuilder;
  /** Times the whole audit (listing, compute, email); the compute part is what the other two leave. */
  audit<T>(run: () => Promise<T>): Promise<T>;
  write<T>(run: () => Promise<T>): Promise<T>;
  /** One line: each phase and the total, in ms. */
  line(): string;
}

async function timed<T>(run: () => Promise<T>, add: (ms: number) => void): Promise<T> {
  const started = performance.now();
  try {
    return await run();
  } finally {
    add(performance.now() - started);
  }
}

export function createRunTimings(): RunTimings {
  // performance.now() counts from the process's time origin.
  const ms: Record<Phase, number> = {
    'start-up': performance.now(),
    listing: 0,
    'normalize/audit/render': 0,
    email: 0,
    write: 0,
  };
  let auditMs = 0;
  return {
    lister: (lister) => ({
      ...lister,
      listAll: (options) =>
        timed(
          () => lister.listAll(options),
          (t) => (ms.listing += t),
        ),
    }),
    emailBuilder: (builder) => ({
      build: (input) =>
        timed(
          () => builder.build(input),
          (t) => (ms.email += t),
        ),
    }),
    audit: (run) => timed(run, (t) => (auditMs += t)),
    write: (run) => timed(run, (t) => (ms.write += t)),
    line() {
      ms['normalize/audit/render'] = Math.max(0, auditMs - ms.listing - ms.email);
      const parts = PHASES.map((p) => `${p} ${Math.round(ms[p])} ms`);
      return `timings: ${parts.join(', ')}, total ${Math.round(performance.now())} ms`;
    },
  };
}
