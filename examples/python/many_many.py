"""Many producers, many consumers (section 6 of the tutorial): a barrier
among the producers, and a sentinel every consumer passes on. With a seed
and a time scale, as in the Rust program `many-many`.

    python3 examples/python/many_many.py --seed 42 --time-scale 0.1
"""

import queue
import threading
import time

from common import Values, flags, say

PRODUCERS = 3
ITEMS = 10
CONSUMERS = 5


# ANCHOR: producer
def producer(identifier, q, barrier, seed, time_scale):
    say(f"Producer {identifier}: Running")
    rng = Values(seed, identifier)
    for i in range(ITEMS):
        value = rng.random()
        time.sleep(value * time_scale)
        q.put((i, value))
    barrier.wait()
    if identifier == 0:
        q.put(None)
    say(f"Producer {identifier}: Done")
# ANCHOR_END: producer


# ANCHOR: consumer
def consumer(identifier, q, time_scale):
    say(f"Consumer {identifier}: Running")
    while True:
        item = q.get()
        if item is None:
            q.put(item)
            break
        time.sleep(item[1] * time_scale)
        say(f">consumer {identifier} got {item}")
    say(f"Consumer {identifier}: Done")
# ANCHOR_END: consumer


# ANCHOR: main
def main(seed, time_scale):
    q = queue.Queue()
    barrier = threading.Barrier(PRODUCERS)
    consumers = [
        threading.Thread(target=consumer, args=(c, q, time_scale)) for c in range(CONSUMERS)
    ]
    producers = [
        threading.Thread(target=producer, args=(p, q, barrier, seed, time_scale))
        for p in range(PRODUCERS)
    ]
    for thread in consumers + producers:
        thread.start()
    for thread in producers + consumers:
        thread.join()
# ANCHOR_END: main


if __name__ == "__main__":
    args = flags(__doc__).parse_args()
    main(args.seed, args.time_scale)
