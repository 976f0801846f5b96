"""One producer, many consumers (section 5 of the tutorial): each consumer
that reads the sentinel puts it back before it stops. With a seed and a
time scale, as in the Rust program `one-many`.

    python3 examples/python/one_many.py --seed 42 --time-scale 0.1
"""

import queue
import threading
import time

from common import Values, flags, say

ITEMS = 10
CONSUMERS = 3


# ANCHOR: producer
def producer(q, seed, time_scale):
    say("Producer: Running")
    rng = Values(seed, 0)
    for i in range(ITEMS):
        value = rng.random()
        time.sleep(value * time_scale)
        q.put((i, value))
    q.put(None)
    say("Producer: Done")
# ANCHOR_END: producer


# ANCHOR: consumer
def consumer(identifier, q, time_scale):
    say(f"Consumer {identifier}: Running")
    while True:
        item = q.get()
        if item is None:
            q.put(item)  # Pass the sentinel on to the next consumer.
            break
        time.sleep(item[1] * time_scale)
        say(f">consumer {identifier} got {item}")
    say(f"Consumer {identifier}: Done")
# ANCHOR_END: consumer


# ANCHOR: main
def main(seed, time_scale):
    q = queue.Queue()
    consumers = [
        threading.Thread(target=consumer, args=(c, q, time_scale)) for c in range(CONSUMERS)
    ]
    producer_thread = threading.Thread(target=producer, args=(q, seed, time_scale))
    for thread in consumers:
        thread.start()
    producer_thread.start()
    producer_thread.join()
    for thread in consumers:
        thread.join()
# ANCHOR_END: main


if __name__ == "__main__":
    args = flags(__doc__).parse_args()
    main(args.seed, args.time_scale)
