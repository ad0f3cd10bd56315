// A long listing's checkpoint in the history bucket (fan-out): a small head object rewritten by
// each invocation, and the pages each invocation fetched in an object of their own, so no
// invocation rewrites the pages before it.
import type { CheckpointStore, FetchedPages, ListingCheckpoint } from '../dialnexa/resumable';
import { checkpointKey, checkpointPagesKey, contentTypeFor } from './layout';
import { type ObjectStore, textOf } from './object-store';

interface Head {
  checkpoint: ListingCheckpoint;
  /** Page objects of the current pass. */
  chunks: number;
}

export function objectCheckpointStore(store: ObjectStore, runKey: string, workspace: string): CheckpointStore {
  const headKey = checkpointKey(runKey, workspace);
  let head: Head | null = null;
  return {
    async load() {
      const found = await store.get(headKey);
      if (found === null) return null;
      head = JSON.parse(textOf(found)) as Head;
      const { pass } = head.checkpoint;
      const chunks = await Promise.all(
        Array.from({ length: head.chunks }, (_, n) => store.get(checkpointPagesKey(runKey, workspace, pass, n))),
      );
      const pages: FetchedPages = chunks.flatMap((c, n) => {
        if (c === null) throw new Error(`checkpoint pages ${n} of ${workspace} are missing`);
        return JSON.parse(textOf(c)) as FetchedPages;
      });
      return { checkpoint: head.checkpoint, pages };
    },
    async save(checkpoint, pages) {
      let chunks = head && head.checkpoint.pass === checkpoint.pass ? head.chunks : 0;
      if (pages.length > 0) {
        const key = checkpointPagesKey(runKey, workspace, checkpoint.pass, chunks);
        await store.put(key, JSON.stringify(pages), contentTypeFor(key));
        chunks += 1;
      }
      head = { checkpoint, chunks };
      await store.put(headKey, JSON.stringify(head), contentTypeFor(headKey));
    },
  };
}
