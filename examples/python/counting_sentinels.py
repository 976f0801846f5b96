"""Many producers, one consumer, no barrier (section 4's first answer):
each producer sends its own sentinel, and the consumer stops once it has
counted one from every producer. The twin of `counting_sentinels.rs`.

    python3 examples/python/counting_sentinels.py --seed 42 --time-scale 0.1
"""

import queue
import threading
import time

from common import Values, flags, say

PRODUCERS = 3
ITEMS = 5


# ANCHOR: producer
def producer(identifier, q, seed, time_scale):
    say(f"Producer {identifier}: Running")
    rng = Values(seed, identifier)
    for i in range(ITEMS):
        value = rng.random()
        time.sleep(value * time_scale)
        q.put((i, value))
    q.put(None)  # This producer's own sentinel.
    say(f"Producer {identifier}: Done")
# ANCHOR_END: producer


# ANCHOR: consumer
def consumer(q, time_scale):
    say("Consumer: Running")
    sentinels = 0
    while sentinels < PRODUCERS:
        item = q.get()
        if item is None:
            sentinels += 1
            continue
        time.sleep(item[1] * time_scale)
        say(f">consumer got {item}")
    say("Consumer: Done")
# ANCHOR_END: consumer


def main(seed, time_scale):
    q = queue.Queue()
    threads = [threading.Thread(target=consumer, args=(q, time_scale))]
    threads += [
        threading.Thread(target=producer, args=(p, q, seed, time_scale))
        for p in range(PRODUCERS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


if __name__ == "__main__":
    args = flags(__doc__).parse_args()
    main(args.seed, args.time_scale)
