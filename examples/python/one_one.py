"""One producer, one consumer, and a sentinel (section 3 of the tutorial),
with a seed and a time scale, as in the Rust program `one-one`.

    python3 examples/python/one_one.py --seed 42 --time-scale 0.1
"""

import queue
import threading
import time

from common import Values, flags, say

ITEMS = 10


# ANCHOR: producer
def producer(q, seed, time_scale):
    say("Producer: Running")
    rng = Values(seed, 0)
    for i in range(ITEMS):
        value = rng.random()
        time.sleep(value * time_scale)
        q.put((i, value))
        say(f">producer added {(i, value)}")
    q.put(None)  # The sentinel: no more items.
    say("Producer: Done")
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
    consumer_thread = threading.Thread(target=consumer, args=(q, time_scale))
    producer_thread = threading.Thread(target=producer, args=(q, seed, time_scale))
    consumer_thread.start()
    producer_thread.start()
    producer_thread.join()
    consumer_thread.join()
# ANCHOR_END: main


if __name__ == "__main__":
    args = flags(__doc__).parse_args()
    main(args.seed, args.time_scale)
