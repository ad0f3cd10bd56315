// The places a listing's requests share: how many are taken, who gets a freed one, and what a
// waiting request gets when the listing stops or wants no more pages.
import { getEventListeners } from 'node:events';
import { RequestSlots, SlotPlace, SlotsClosedError } from '../../../lambda/adapters/dialnexa/slots';

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Whether `promise` has settled by the next turn. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  promise.then(
    () => (done = true),
    () => (done = true),
  );
  await settle();
  return done;
}

describe('RequestSlots', () => {
  it('gives at most `size` places, and a freed one to the longest waiting request', async () => {
    const slots = new RequestSlots(2, new AbortController().signal);
    await slots.acquire();
    await slots.acquire();
    const third = slots.acquire();
    const fourth = slots.acquire();
    expect(await settled(third)).toBe(false);
    expect(slots.release()).toBe(true);
    expect(await settled(third)).toBe(true);
    expect(await settled(fourth)).toBe(false);
    expect(slots.release()).toBe(true);
    expect(await settled(fourth)).toBe(true);
    // Nobody waits: a freed place is free again, and only one.
    expect(slots.release()).toBe(false);
    await slots.acquire();
    expect(await settled(slots.acquire())).toBe(false);
  });

  it('counts a fractional size down: 2.5 places are 2', async () => {
    const slots = new RequestSlots(2.5, new AbortController().signal);
    expect(slots.size).toBe(2);
    await slots.acquire();
    await slots.acquire();
    expect(await settled(slots.acquire())).toBe(false);
  });

  it('rejects every waiting request with the reason the operation stopped, through one listener', async () => {
    const controller = new AbortController();
    const slots = new RequestSlots(1, controller.signal);
    await slots.acquire();
    const waiting = Array.from({ length: 20 }, () => slots.acquire());
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    controller.abort(new Error('deadline'));
    for (const w of waiting) await expect(w).rejects.toThrow('deadline');
    await expect(slots.acquire()).rejects.toThrow('deadline');
  });

  it('refuses the waiting requests and every later one once closed', async () => {
    const slots = new RequestSlots(1, new AbortController().signal);
    await slots.acquire();
    const waiting = slots.acquire();
    slots.close();
    await expect(waiting).rejects.toBeInstanceOf(SlotsClosedError);
    await expect(slots.acquire()).rejects.toBeInstanceOf(SlotsClosedError);
  });
});

describe('SlotPlace', () => {
  it('holds its place across attempts, gives it up once answered, and takes one again for a retry', async () => {
    const slots = new RequestSlots(1, new AbortController().signal);
    const place = new SlotPlace(slots);
    await place.take();
    await place.take(); // a retry of an unanswered attempt keeps the place it has
    const other = slots.acquire();
    expect(await settled(other)).toBe(false);
    await place.answered();
    expect(await settled(other)).toBe(true); // the waiting request got the place
    await place.answered(); // answered twice frees nothing more
    const retry = place.take();
    expect(await settled(retry)).toBe(false); // the only place is the other request's
    slots.release(); // the other request is answered
    expect(await settled(retry)).toBe(true);
    place.leave();
    place.leave(); // left twice frees one place
    await slots.acquire();
    expect(await settled(slots.acquire())).toBe(false);
  });

  it('neither waits nor yields without slots', async () => {
    const place = new SlotPlace(undefined);
    expect(await settled(place.take())).toBe(true);
    // Settled within microtasks: no turn of the event loop is spent (setImmediate would be one).
    let done = false;
    const answered = place.answered().then(() => (done = true));
    await Promise.resolve();
    await Promise.resolve();
    expect(done).toBe(true);
    await answered;
    expect(() => place.leave()).not.toThrow();
  });
});
