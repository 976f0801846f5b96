"""One of three consumers fails on the item halfway through: an exception
ends its thread (Python prints the traceback), the others go on. Unlike
Rust, the program still exits with code 0: nothing tells `join()` that a
thread died. The twin of `consumer_panic.rs`.

    python3 examples/python/consumer_panic.py --seed 42 --time-scale 0.1
"""

import queue
import threading
import time

from common import Values, flags, say

ITEMS = 10
CONSUMERS = 3


def producer(q, seed, time_scale):
    say("Producer: Running")
    rng = Values(seed, 0)
    for i in range(ITEMS):
        value = rng.random()
        time.sleep(value * time_scale)
        q.put((i, value))
    for _ in range(CONSUMERS):
        q.put(None)  # One sentinel each: a dead consumer leaves one over.
    say("Producer: Done")


# ANCHOR: consumer
def consumer(identifier, q, time_scale):
    say(f"Consumer {identifier}: Running")
    while True:
        item = q.get()
        if item is None:
            break
        time.sleep(item[1] * time_scale)
        if item[0] == ITEMS // 2:
            raise RuntimeError(f"Consumer {identifier} cannot process {item}")
        say(f">consumer {identifier} got {item}")
    say(f"Consumer {identifier}: Done")
# ANCHOR_END: consumer


def main(seed, time_scale):
    q = queue.Queue()
    threads = [
        threading.Thread(target=consumer, args=(c, q, time_scale)) for c in range(CONSUMERS)
    ]
    threads.append(threading.Thread(target=producer, args=(q, seed, time_scale)))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


if __name__ == "__main__":
    args = flags(__doc__).parse_args()
    main(args.seed, args.time_scale)
