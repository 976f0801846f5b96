"""A consumer shuts the queue down halfway and at once
(`Queue.shutdown(immediate=True)`, Python 3.13): producers are refused
from then on, and what is in the queue is thrown away, without a word for
each item (the Rust twin, `shutdown_immediate.rs`, names every one).

    python3.13 examples/python/shutdown_immediate.py --seed 42 --time-scale 0.1
"""

import queue
import sys
import threading
import time

from common import Values, flags, say

PRODUCERS = 3
ITEMS = 10
CONSUMERS = 2


# ANCHOR: producer
def producer(identifier, q, seed, time_scale):
    say(f"Producer {identifier}: Running")
    rng = Values(seed, identifier)
    for i in range(ITEMS):
        value = rng.random()
        time.sleep(value * time_scale)
        try:
            q.put((i, value))
        except queue.ShutDown:
            say(f">producer {identifier} refused {(i, value)}")
            break
        say(f">producer {identifier} added {(i, value)}")
    say(f"Producer {identifier}: Done")
# ANCHOR_END: producer


# ANCHOR: consumer
def consumer(identifier, q, processed, time_scale):
    say(f"Consumer {identifier}: Running")
    while True:
        try:
            item = q.get()  # After an immediate shutdown: ShutDown at once.
        except queue.ShutDown:
            break
        time.sleep(item[1] * time_scale)
        say(f">consumer {identifier} got {item}")
        if next(processed) == PRODUCERS * ITEMS // 2:
            say(f"Consumer {identifier}: Shut down the queue")
            q.shutdown(immediate=True)
    say(f"Consumer {identifier}: Done")
# ANCHOR_END: consumer


def main(seed, time_scale):
    q = queue.Queue()
    processed = iter(range(1, PRODUCERS * ITEMS + 1))  # next() is atomic.
    threads = [
        threading.Thread(target=consumer, args=(c, q, processed, time_scale))
        for c in range(CONSUMERS)
    ]
    threads += [
        threading.Thread(target=producer, args=(p, q, seed, time_scale))
        for p in range(PRODUCERS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads[CONSUMERS:]:
        thread.join()
    q.shutdown()  # Every producer is done: let the consumers finish.
    for thread in threads[:CONSUMERS]:
        thread.join()


if __name__ == "__main__":
    if not hasattr(queue, "ShutDown"):
        sys.exit(f"{sys.argv[0]}: needs Python 3.13 or later (Queue.shutdown); "
                 f"this is {sys.version.split()[0]}")
    args = flags(__doc__).parse_args()
    main(args.seed, args.time_scale)
