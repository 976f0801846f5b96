"""Many producers, many consumers, as asyncio tasks: the producers meet at
an `asyncio.Barrier`, and every consumer passes the sentinel on. The twin
of `async_many_many.rs`.

    python3 examples/python/async_many_many.py --seed 42 --time-scale 0.1
"""

import asyncio

from common import Values, flags, say

PRODUCERS = 3
ITEMS = 10
CONSUMERS = 5


async def producer(identifier, q, barrier, seed, time_scale):
    say(f"Producer {identifier}: Running")
    rng = Values(seed, identifier)
    for i in range(ITEMS):
        value = rng.random()
        await asyncio.sleep(value * time_scale)
        await q.put((i, value))
    if await barrier.wait() == 0:
        await q.put(None)
    say(f"Producer {identifier}: Done")


async def consumer(identifier, q, time_scale):
    say(f"Consumer {identifier}: Running")
    while True:
        item = await q.get()
        if item is None:
            await q.put(item)
            break
        await asyncio.sleep(item[1] * time_scale)
        say(f">consumer {identifier} got {item}")
    say(f"Consumer {identifier}: Done")


async def main(seed, time_scale):
    q = asyncio.Queue()
    barrier = asyncio.Barrier(PRODUCERS)
    consumers = [consumer(c, q, time_scale) for c in range(CONSUMERS)]
    producers = [producer(p, q, barrier, seed, time_scale) for p in range(PRODUCERS)]
    await asyncio.gather(*consumers, *producers)


if __name__ == "__main__":
    args = flags(__doc__).parse_args()
    asyncio.run(main(args.seed, args.time_scale))
