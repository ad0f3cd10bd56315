// The simulator in its own process, driven over IPC, so its work (serialising pages, timers) does
// not share an event loop with the client being measured. Started by sim-remote.ts.
import { generatePortfolio, LIST_PATH, startSimulator, type Simulator, type SimulatorOptions } from '../../simulator';

export type SimCommand =
  | { cmd: 'start'; portfolio: { seed: number; size: number }; options: Omit<SimulatorOptions, 'numbers'> }
  | { cmd: 'log' }
  | { cmd: 'inventory' }
  | { cmd: 'close' }
  | { cmd: 'exit' };

const portfolios = new Map<number, ReturnType<typeof generatePortfolio>>();
let sim: Simulator | undefined;

function numbersFor(seed: number, size: number) {
  // One generation per seed; smaller sizes are its prefix (generation is the slow part).
  let all = portfolios.get(seed);
  if (!all || all.length < size) {
    all = generatePortfolio({ seed, size });
    portfolios.set(seed, all);
  }
  return all.slice(0, size);
}

async function handle(message: SimCommand): Promise<unknown> {
  switch (message.cmd) {
    case 'start':
      await sim?.close();
      sim = await startSimulator({
        ...message.options,
        numbers: numbersFor(message.portfolio.seed, message.portfolio.size),
      });
      return { url: sim.url, apiKey: sim.apiKey };
    case 'log':
      return (sim?.requests ?? []).filter((r) => r.path === LIST_PATH);
    case 'inventory':
      return (sim?.inventory() ?? []).map((r) => r.id);
    case 'close':
      await sim?.close();
      sim = undefined;
      return null;
    case 'exit':
      await sim?.close();
      setImmediate(() => process.exit(0));
      return null;
  }
}

process.on('message', (message: SimCommand & { id: number }) => {
  handle(message).then(
    (result) => process.send?.({ id: message.id, ok: true, result }),
    (error: unknown) => process.send?.({ id: message.id, ok: false, error: String(error) }),
  );
});
