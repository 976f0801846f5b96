"""One producer, many consumers, and a stop flag (section 5's first
answer): the producer sets a `threading.Event` when it is done, and each
consumer waits for items with a timeout, looking at the flag whenever a
wait runs out. The twin of `event_timeout.rs`.

    python3 examples/python/event_timeout.py --seed 42 --time-scale 0.1
"""

import queue
import threading
import time

from common import Values, flags, say

ITEMS = 10
CONSUMERS = 3
TIMEOUT = 0.1  # Seconds, times the time scale.


# ANCHOR: producer
def producer(q, stop, seed, time_scale):
    say("Producer: Running")
    rng = Values(seed, 0)
    for i in range(ITEMS):
        value = rng.random()
        time.sleep(value * time_scale)
        q.put((i, value))
    stop.set()
    say("Producer: Done")
# ANCHOR_END: producer


# ANCHOR: consumer
def consumer(identifier, q, stop, time_scale):
    say(f"Consumer {identifier}: Running")
    while True:
        try:
            item = q.get(timeout=max(TIMEOUT * time_scale, 0.001))
        except queue.Empty:
            # The flag is set after the last put: set, and nothing left,
            # means nothing more will come.
            if stop.is_set() and q.empty():
                break
            continue
        time.sleep(item[1] * time_scale)
        say(f">consumer {identifier} got {item}")
    say(f"Consumer {identifier}: Done")
# ANCHOR_END: consumer


def main(seed, time_scale):
    q = queue.Queue()
    stop = threading.Event()
    threads = [
        threading.Thread(target=consumer, args=(c, q, stop, time_scale))
        for c in range(CONSUMERS)
    ]
    threads.append(threading.Thread(target=producer, args=(q, stop, seed, time_scale)))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


if __name__ == "__main__":
    args = flags(__doc__).parse_args()
    main(args.seed, args.time_scale)
