"""Completion without shutdown: the producer waits, after each batch of 4
items, until every item put so far is processed (`task_done()` and
`join()`), while the consumers stay alive between batches. At the very
end, one sentinel per consumer lets them go. The twin of `task_done.rs`.

    python3 examples/python/task_done.py --seed 42 --time-scale 0.1
"""

import queue
import threading
import time

from common import Values, flags, say

ITEMS = 10
CONSUMERS = 3
BATCH = 4


# ANCHOR: producer
def producer(q, seed, time_scale):
    say("Producer: Running")
    rng = Values(seed, 0)
    for i in range(ITEMS):
        value = rng.random()
        time.sleep(value * time_scale)
        q.put((i, value))
        say(f">producer added {(i, value)}")
        if (i + 1) % BATCH == 0 or i + 1 == ITEMS:
            q.join()  # Until a task_done() for every put() so far.
            say("Producer: Every item put so far is processed")
    for _ in range(CONSUMERS):
        q.put(None)
    say("Producer: Done")
# ANCHOR_END: producer


# ANCHOR: consumer
def consumer(identifier, q, time_scale):
    say(f"Consumer {identifier}: Running")
    while True:
        item = q.get()
        if item is None:
            break
        time.sleep(item[1] * time_scale)
        say(f">consumer {identifier} got {item}")
        q.task_done()
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
