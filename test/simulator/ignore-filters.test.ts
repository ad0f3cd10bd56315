// `ignoreFilters`: a server that honours only `page` and `limit` (all DialNexa's contract for the
// list operation declares) and serves every number whatever `country_code` and `type` say.
import { generatePortfolio, startSimulator, type Simulator } from '../../simulator';
import { get } from './http';

const LIST = '/v1/organization-phone-numbers?country_code=IN&type=mobile&limit=100';
const numbers = generatePortfolio({ seed: 4, size: 60, variants: 'canonical' });

describe('simulator: ignoreFilters', () => {
  let sim: Simulator | undefined;
  afterEach(() => sim?.close());

  it('filters by default', async () => {
    sim = await startSimulator({ numbers });
    const body = (await get(sim, LIST)).json as { data: Array<{ country_code: string; type: string }> };
    expect(body.data.length).toBeGreaterThan(0);
    expect(body.data.every((r) => r.country_code === 'IN' && r.type === 'mobile')).toBe(true);
  });

  it('serves every number, and counts them all, when it ignores the filters', async () => {
    sim = await startSimulator({ numbers, ignoreFilters: true });
    const body = (await get(sim, LIST)).json as { data: Array<{ id: string }>; meta: { total: number } };
    expect(body.meta.total).toBe(numbers.length);
    expect(body.data.map((r) => r.id)).toEqual(numbers.map((r) => r.id));
    expect(sim.requests[0].query).toMatchObject({ country_code: 'IN', type: 'mobile' });
  });
});
