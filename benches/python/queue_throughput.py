"""Moves integers between threads through Python's queue.Queue or
queue.SimpleQueue: the same workload as benches/channels.rs, for comparison.

    python3 benches/python/queue_throughput.py --producers 1 --consumers 1 \
        --capacity 1024 --messages 200000 --repeats 5 --kind Queue

Prints one JSON object: the nanoseconds per message of each repeat. The
threads are started and lined up at a barrier before the clock starts; it
stops when every consumer has received its stop message.
"""

import argparse
import json
import queue
import threading
import time

STOP = None


def transfer(kind, producers, consumers, capacity, messages):
    if kind == "SimpleQueue":
        q = queue.SimpleQueue()
    else:
        # maxsize=0 is unbounded in Python.
        q = queue.Queue(maxsize=0 if capacity is None else capacity)
    per_producer = max(messages // producers, 1)
    start = threading.Barrier(producers + consumers + 1)
    received = [0] * consumers

    def producer():
        start.wait()
        for n in range(per_producer):
            q.put(n)

    def consumer(index):
        start.wait()
        count = 0
        while q.get() is not STOP:
            count += 1
        received[index] = count

    threads = [threading.Thread(target=producer) for _ in range(producers)]
    consumer_threads = [threading.Thread(target=consumer, args=(i,)) for i in range(consumers)]
    for thread in threads + consumer_threads:
        thread.start()
    start.wait()
    began = time.perf_counter_ns()
    for thread in threads:
        thread.join()
    for _ in range(consumers):
        q.put(STOP)
    for thread in consumer_threads:
        thread.join()
    elapsed = time.perf_counter_ns() - began
    total = per_producer * producers
    assert sum(received) == total, "a message was lost"
    return elapsed / total


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kind", choices=["Queue", "SimpleQueue"], default="Queue")
    parser.add_argument("--producers", type=int, default=1)
    parser.add_argument("--consumers", type=int, default=1)
    parser.add_argument("--capacity", default="unbounded", help="a number, or unbounded")
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    capacity = None if args.capacity == "unbounded" else int(args.capacity)
    if capacity is not None and capacity < 1:
        parser.error("Python's queues have no capacity 0: maxsize=0 means unbounded")
    if args.kind == "SimpleQueue" and capacity is not None:
        parser.error("SimpleQueue is always unbounded")
    runs = [
        transfer(args.kind, args.producers, args.consumers, capacity, args.messages)
        for _ in range(args.repeats)
    ]
    print(json.dumps({"ns_per_message": runs}))


if __name__ == "__main__":
    main()
