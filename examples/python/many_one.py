"""Many producers, one consumer (section 4 of the tutorial): the producers
meet at a barrier, and producer 0 sends the one sentinel. With a seed and a
time scale, as in the Rust program `many-one`.

    python3 examples/python/many_one.py --seed 42 --time-scale 0.1
"""

import queue
import threading
import time

from common import Values, flags, say

PRODUCERS = 3
ITEMS = 5


# ANCHOR: producer
def producer(identifier, q, barrier, seed, time_scale):
    say(f"Producer {identifier}: Running")
    rng = Values(seed, identifier)
    for i in range(ITEMS):
        value = rng.random()
        time.sleep(value * time_scale)
        q.put((i, value))
    barrier.wait()  # Every producer has put its last item.
    if identifier == 0:
        q.put(None)
    say(f"Producer {identifier}: Done")
# ANCHOR_END: producer


# ANCHOR: consumer
def consumer(q, time_scale):
    say("Consumer: Running")
    while True:
        item = q.get()
        if item is None:
            break
        time.sleep(item[1] * time_scale)
        say(f">consumer got {item}")
    say("Consumer: Done")
# ANCHOR_END: consumer


# ANCHOR: main
def main(seed, time_scale):
    q = queue.Queue()
    barrier = threading.Barrier(PRODUCERS)
    consumer_thread = threading.Thread(target=consumer, args=(q, time_scale))
    producers = [
        threading.Thread(target=producer, args=(p, q, barrier, seed, time_scale))
        for p in range(PRODUCERS)
    ]
    consumer_thread.start()
    for thread in producers:
        thread.start()
    for thread in producers:
        thread.join()
    consumer_thread.join()
# ANCHOR_END: main


if __name__ == "__main__":
    args = flags(__doc__).parse_args()
    main(args.seed, args.time_scale)
