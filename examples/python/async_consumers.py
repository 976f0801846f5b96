"""Producers are threads, consumers are asyncio tasks on one event loop,
and an `asyncio.Queue` between them. That queue is not thread-safe: a
producer thread hands each item to the loop, which puts it. The twin of
`async_consumers.rs`.

    python3 examples/python/async_consumers.py --seed 42 --time-scale 0.1
"""

import asyncio
import threading
import time

from common import Values, flags, say

PRODUCERS = 3
ITEMS = 10
CONSUMERS = 5


# ANCHOR: producer
def producer(identifier, q, loop, seed, time_scale):
    say(f"Producer {identifier}: Running")
    rng = Values(seed, identifier)
    for i in range(ITEMS):
        value = rng.random()
        time.sleep(value * time_scale)
        # Runs `q.put` on the loop's thread, and waits until it has.
        asyncio.run_coroutine_threadsafe(q.put((i, value)), loop).result()
    say(f"Producer {identifier}: Done")
# ANCHOR_END: producer


# ANCHOR: consumer
async def consumer(identifier, q, time_scale):
    say(f"Consumer {identifier}: Running")
    while True:
        item = await q.get()
        if item is None:
            break
        await asyncio.sleep(item[1] * time_scale)  # Never time.sleep here.
        say(f">consumer {identifier} got {item}")
    say(f"Consumer {identifier}: Done")
# ANCHOR_END: consumer


# ANCHOR: main
async def main(seed, time_scale):
    q = asyncio.Queue()
    loop = asyncio.get_running_loop()
    tasks = [asyncio.create_task(consumer(c, q, time_scale)) for c in range(CONSUMERS)]
    producers = [
        threading.Thread(target=producer, args=(p, q, loop, seed, time_scale))
        for p in range(PRODUCERS)
    ]
    for thread in producers:
        thread.start()
    # Wait for the threads without blocking the loop the consumers run on.
    for thread in producers:
        await asyncio.to_thread(thread.join)
    for _ in range(CONSUMERS):
        await q.put(None)
    await asyncio.gather(*tasks)
# ANCHOR_END: main


if __name__ == "__main__":
    args = flags(__doc__).parse_args()
    asyncio.run(main(args.seed, args.time_scale))
