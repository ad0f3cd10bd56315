// Listing progress on stderr: a one-line bar redrawn with \r on a terminal, plain lines (at most
// one per tenth of the pages) when stderr is a file or a pipe, so CI logs stay short.
import type { ListProgress } from '../core/ports';

export interface ProgressReporter {
  update(progress: ListProgress): void;
  /** Ends the bar's line; safe to call more than once. */
  finish(): void;
  /** Writes a line without tearing the bar. */
  line(text: string): void;
}

export interface ProgressOptions {
  write: (text: string) => void;
  isTTY: boolean;
  /** Bar width in cells. */
  width?: number;
}

export function createProgressReporter({ write, isTTY, width = 30 }: ProgressOptions): ProgressReporter {
  let barShown = false;
  let lastBucket = -1;
  let lastPages = -1;

  const clearBar = () => {
    if (barShown) {
      write('\r\x1b[2K');
      barShown = false;
    }
  };

  return {
    update({ pagesFetched, pagesTotal }) {
      if (pagesFetched === lastPages) return;
      lastPages = pagesFetched;
      if (isTTY) {
        write(`\r${renderBar(pagesFetched, pagesTotal, width)}`);
        barShown = true;
        return;
      }
      const bucket = pagesTotal ? Math.floor((10 * pagesFetched) / pagesTotal) : pagesFetched;
      if (pagesFetched === 1 || bucket !== lastBucket || pagesFetched === pagesTotal) {
        lastBucket = bucket;
        write(`${describePages(pagesFetched, pagesTotal)}\n`);
      }
    },
    finish() {
      if (barShown) {
        write('\n');
        barShown = false;
      }
    },
    line(text) {
      clearBar();
      write(`${text}\n`);
      if (isTTY && lastPages >= 0) {
        // The next update redraws the bar.
        lastPages = -1;
      }
    },
  };
}

export function describePages(pagesFetched: number, pagesTotal: number | null): string {
  return pagesTotal === null ? `fetched page ${pagesFetched}` : `fetched page ${pagesFetched} of ${pagesTotal}`;
}

export function renderBar(pagesFetched: number, pagesTotal: number | null, width: number): string {
  if (!pagesTotal) return `listing numbers... ${pagesFetched} pages`;
  const ratio = Math.min(1, pagesFetched / pagesTotal);
  const filled = Math.round(ratio * width);
  const pct = String(Math.floor(ratio * 100)).padStart(3);
  return `listing numbers [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${pct}% ${pagesFetched}/${pagesTotal} pages`;
}
