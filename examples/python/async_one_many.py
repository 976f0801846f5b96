"""One producer, many consumers, as asyncio tasks: each consumer that reads
the sentinel puts it back for the next. The twin of `async_one_many.rs`.

    python3 examples/python/async_one_many.py --seed 42 --time-scale 0.1
"""

import asyncio

from common import Values, flags, say

ITEMS = 10
CONSUMERS = 3


async def producer(q, seed, time_scale):
    say("Producer: Running")
    rng = Values(seed, 0)
    for i in range(ITEMS):
        value = rng.random()
        await asyncio.sleep(value * time_scale)
        await q.put((i, value))
    await q.put(None)
    say("Producer: Done")


# ANCHOR: consumer
async def consumer(identifier, q, time_scale):
    say(f"Consumer {identifier}: Running")
    while True:
        item = await q.get()
        if item is None:
            await q.put(item)  # For the next consumer.
            break
        await asyncio.sleep(item[1] * time_scale)
        say(f">consumer {identifier} got {item}")
    say(f"Consumer {identifier}: Done")
# ANCHOR_END: consumer


async def main(seed, time_scale):
    q = asyncio.Queue()
    consumers = [consumer(c, q, time_scale) for c in range(CONSUMERS)]
    await asyncio.gather(*consumers, producer(q, seed, time_scale))


if __name__ == "__main__":
    args = flags(__doc__).parse_args()
    asyncio.run(main(args.seed, args.time_scale))
