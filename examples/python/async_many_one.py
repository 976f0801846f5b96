"""Many producers, one consumer, as asyncio tasks: the producers meet at an
`asyncio.Barrier` (Python 3.11), and one of them sends the sentinel. The
twin of `async_many_one.rs`.

    python3 examples/python/async_many_one.py --seed 42 --time-scale 0.1
"""

import asyncio

from common import Values, flags, say

PRODUCERS = 3
ITEMS = 5


# ANCHOR: producer
async def producer(identifier, q, barrier, seed, time_scale):
    say(f"Producer {identifier}: Running")
    rng = Values(seed, identifier)
    for i in range(ITEMS):
        value = rng.random()
        await asyncio.sleep(value * time_scale)
        await q.put((i, value))
    # Every producer waits here; wait() gives each a different number.
    if await barrier.wait() == 0:
        await q.put(None)
    say(f"Producer {identifier}: Done")
# ANCHOR_END: producer


async def consumer(q, time_scale):
    say("Consumer: Running")
    while True:
        item = await q.get()
        if item is None:
            break
        await asyncio.sleep(item[1] * time_scale)
        say(f">consumer got {item}")
    say("Consumer: Done")


async def main(seed, time_scale):
    q = asyncio.Queue()
    barrier = asyncio.Barrier(PRODUCERS)
    producers = [producer(p, q, barrier, seed, time_scale) for p in range(PRODUCERS)]
    await asyncio.gather(consumer(q, time_scale), *producers)


if __name__ == "__main__":
    args = flags(__doc__).parse_args()
    asyncio.run(main(args.seed, args.time_scale))
