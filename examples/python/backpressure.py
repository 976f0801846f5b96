"""A producer ten times faster than its consumer: `Queue(maxsize=N)` makes
it wait for room, an unbounded queue lets items pile up. The twin of
`backpressure.rs`. In Python, `maxsize=0` means unbounded (in Rust, a
channel of capacity 0 is a rendezvous), so this one takes no 0.

    python3 examples/python/backpressure.py --seed 42 --capacity 100
"""

import argparse
import queue
import sys
import threading
import time

from common import Values, flags, say

ITEMS = 300
EFFORT = 0.02  # The consumer's share of each value, in seconds.
FASTER = 10  # How much faster the producer is.


# ANCHOR: producer
def producer(q, seed, time_scale, report):
    say("Producer: Running")
    rng = Values(seed, 0)
    most_waiting, blocked = 0, 0.0
    for i in range(ITEMS):
        value = rng.random()
        time.sleep(value * time_scale * EFFORT / FASTER)
        putting = time.perf_counter()
        q.put((i, value))  # Waits while the queue is full.
        blocked += time.perf_counter() - putting
        most_waiting = max(most_waiting, q.qsize())
        say(f">producer added {(i, value)}")
    say("Producer: Done")
    report.update(most_waiting=most_waiting, blocked=blocked)
# ANCHOR_END: producer


def consumer(q, time_scale):
    say("Consumer: Running")
    while True:
        item = q.get()
        if item is None:
            break
        time.sleep(item[1] * time_scale * EFFORT)
        say(f">consumer got {item}")
    say("Consumer: Done")


# ANCHOR: main
def main(seed, time_scale, capacity):
    q = queue.Queue(maxsize=capacity or 0)  # 0: unbounded, in Python.
    report = {}
    started = time.perf_counter()
    consumer_thread = threading.Thread(target=consumer, args=(q, time_scale))
    producer_thread = threading.Thread(target=producer, args=(q, seed, time_scale, report))
    consumer_thread.start()
    producer_thread.start()
    producer_thread.join()
    q.put(None)
    consumer_thread.join()
    print(
        f"backpressure: at most {report['most_waiting']} items waited in the queue; "
        f"the producer waited {report['blocked']:.2f} s in put, "
        f"in a run of {time.perf_counter() - started:.2f} s",
        file=sys.stderr,
    )
# ANCHOR_END: main


def capacity(text):
    """`--capacity N`: at least 1. In Python, maxsize=0 means unbounded."""
    n = int(text)
    if n < 1:
        raise argparse.ArgumentTypeError("must be at least 1 (maxsize=0 means unbounded)")
    return n


if __name__ == "__main__":
    parser = flags(__doc__)
    parser.add_argument("--capacity", type=capacity, metavar="N")
    args = parser.parse_args()
    main(args.seed, args.time_scale, args.capacity)
