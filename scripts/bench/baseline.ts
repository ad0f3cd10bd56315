// The loop DialNexa's pagination docs show: page=1, 2, ... with limit=100, one request after
// another, stop on a short page. On 429/5xx it waits Retry-After (or 1 s) and asks again. Written
// plainly on purpose: it is the yardstick, not a client.

export interface BaselineResult {
  ids: string[];
  requests: number;
  rateLimited: number;
  serverErrors: number;
  wallMs: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function sequentialListing(baseUrl: string, apiKey: string): Promise<BaselineResult> {
  const started = performance.now();
  const ids: string[] = [];
  let requests = 0;
  let rateLimited = 0;
  let serverErrors = 0;
  for (let page = 1; ; ) {
    requests++;
    const res = await fetch(`${baseUrl}/v1/organization-phone-numbers?page=${page}&limit=100`, {
      headers: { Authorization: `Bearer ${apiKey}`, Accept: 'application/json' },
    });
    if (res.status === 429 || res.status >= 500) {
      if (res.status === 429) rateLimited++;
      else serverErrors++;
      await res.arrayBuffer();
      const retryAfter = Number(res.headers.get('retry-after'));
      await sleep(Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : 1000);
      continue;
    }
    if (!res.ok) throw new Error(`baseline: page ${page} answered ${res.status}`);
    const body = (await res.json()) as { data?: Array<{ id: string }>; items?: Array<{ id: string }> };
    const items = body.data ?? body.items ?? [];
    for (const item of items) ids.push(item.id);
    if (items.length < 100) break;
    page++;
  }
  return { ids, requests, rateLimited, serverErrors, wallMs: performance.now() - started };
}
