// The places a listing's requests share: how many are taken, who gets a freed one, and what a
// waiting request gets when the listing stops or wants no more pages.
import { RequestSlots, SlotPlace, SlotsClosedError } from '../../../lambda/adapters/dialnexa/slots';

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('RequestSlots', () => {
  it('gives at most `size` places, and a freed one to the longest waiting request', async () => {
    const slots = new RequestSlots(2);
    const signal = new AbortController().signal;
    await slots.acquire(signal);
    await slots.acquire(signal);
    const order: string[] = [];
    const third = slots.acquire(signal).then(() => order.push('third'));
    const fourth = slots.acquire(signal).then(() => order.push('fourth'));
    await settle();
    expect(order).toEqual([]);
    expect(slots.release()).toBe(true);
    await third;
    expect(order).toEqual(['third']);
    expect(slots.release()).toBe(true);
    await fourth;
    expect(order).toEqual(['third', 'fourth']);
    expect(slots.release()).toBe(false); // nobody waiting: the place is free again
    await slots.acquire(signal);
  });

  it('rejects a waiting request with the reason the operation stopped, and forgets it', async () => {
    const slots = new RequestSlots(1);
    const controller = new AbortController();
    await slots.acquire(controller.signal);
    const waiting = slots.acquire(controller.signal);
    controller.abort(new Error('deadline'));
    await expect(waiting).rejects.toThrow('deadline');
    expect(slots.release()).toBe(false);
  });

  it('refuses the waiting requests and every later one once closed', async () => {
    const slots = new RequestSlots(1);
    const signal = new AbortController().signal;
    await slots.acquire(signal);
    const waiting = slots.acquire(signal);
    slots.close();
    await expect(waiting).rejects.toBeInstanceOf(SlotsClosedError);
    await expect(slots.acquire(signal)).rejects.toBeInstanceOf(SlotsClosedError);
  });
});

describe('SlotPlace', () => {
  it('holds its place across attempts, gives it up once answered, and takes one again for a retry', async () => {
    const slots = new RequestSlots(1);
    const signal = new AbortController().signal;
    const place = new SlotPlace(slots, signal);
    await place.take();
    await place.take(); // a retry of an unanswered attempt keeps the place it has
    let other = false;
    const otherRequest = slots.acquire(signal).then(() => (other = true));
    await place.answered();
    expect(other).toBe(true); // the waiting request got the place before `answered` returned
    await otherRequest;
    const retry = place.take();
    await settle();
    slots.release(); // the other request is answered
    await retry;
    place.leave();
    expect(slots.release()).toBe(false);
  });
});
