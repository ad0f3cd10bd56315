// A DialNexa whose numbers change while they are listed, on the first pass and again on the one
// re-list: the listing ends incomplete however the CLI is run.
import { startSimulator, type Simulator } from '../../simulator';

type SimulatorOptions = Parameters<typeof startSimulator>[0];

export async function startChangingSimulator(options: SimulatorOptions): Promise<Simulator> {
  const sim = await startSimulator(options);
  const ids = sim.inventory().map((r) => r.id);
  sim.afterPage(1, () => {
    sim.remove(ids[0]);
    sim.afterPage(1, () => sim.remove(ids[1]));
  });
  return sim;
}
