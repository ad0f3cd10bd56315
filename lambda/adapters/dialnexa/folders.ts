// GET /v1/organization-folders: the agents' folders (teams), at most 50 a page and no total, so
// pages are read one after another until a short one. A server that ignores `page` (a page with
// only folders already seen) and a list longer than maxPages both stop the paging.
import type { ReadOptions } from '../../core/ports';
import { forbidden } from './failures';
import type { ListingSettings } from './listing';
import { getJson, type RequestScope } from './request';
import { parseFolders, parseJsonBody, type FolderPage } from './schema';
import { sideRead } from './side-read';

export const FOLDERS_PATH = '/v1/organization-folders';
/** The API's largest folders page. */
export const FOLDERS_PAGE_SIZE = 50;

export type FolderSummary = FolderPage['folders'][number];

export function listAllFolders(settings: ListingSettings, options: ReadOptions = {}): Promise<FolderSummary[]> {
  return sideRead(settings, options, 'listing folders', async (scope) => {
    const byId = new Map<string, FolderSummary>();
    for (let page = 1; page <= settings.maxPages; page++) {
      const got = await fetchFolders(settings, scope, page);
      const before = byId.size;
      for (const f of got.folders) if (!byId.has(f.id)) byId.set(f.id, f);
      const limit = got.limit !== null && got.limit > 0 ? got.limit : FOLDERS_PAGE_SIZE;
      if (got.folders.length < limit || byId.size === before) break;
    }
    return [...byId.values()];
  });
}

function fetchFolders(settings: ListingSettings, scope: RequestScope, page: number): Promise<FolderPage> {
  return getJson(settings, scope, {
    path: FOLDERS_PATH,
    query: { page: String(page), limit: String(FOLDERS_PAGE_SIZE) },
    what: `folders page ${page}`,
    parse: (text) => parseFolders(parseJsonBody(text)),
    forbidden: forbidden(settings.keySource.description, 'read folders', 'read access to folders'),
  });
}
