"""One producer, one consumer and a sentinel, as asyncio tasks on one
event loop, with an `asyncio.Queue`: the twin of `async_one_one.rs`.

    python3 examples/python/async_one_one.py --seed 42 --time-scale 0.1
"""

import asyncio

from common import Values, flags, say

ITEMS = 10


# ANCHOR: producer
async def producer(q, seed, time_scale):
    say("Producer: Running")
    rng = Values(seed, 0)
    for i in range(ITEMS):
        value = rng.random()
        await asyncio.sleep(value * time_scale)  # Never time.sleep in a task.
        await q.put((i, value))
        say(f">producer added {(i, value)}")
    await q.put(None)  # The sentinel: no more items.
    say("Producer: Done")
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


# ANCHOR: main
async def main(seed, time_scale):
    q = asyncio.Queue()
    # gather runs both on the loop, and raises the first task's exception.
    await asyncio.gather(consumer(q, time_scale), producer(q, seed, time_scale))
# ANCHOR_END: main


if __name__ == "__main__":
    args = flags(__doc__).parse_args()
    asyncio.run(main(args.seed, args.time_scale))
