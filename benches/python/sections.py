"""The tutorial's four programs (threads, queue.Queue, a sentinel, a
barrier), with a seed and a time scale, so that their makespan can be
compared with the Rust crates' and with the ideal.

    python3 benches/python/sections.py --section many-many --seed 1 \
        --time-scale 0.02 --json run.json

Prints the tutorial's lines; writes the values each producer drew and the
makespan (seconds from starting the threads to joining the last one) as
JSON to the --json file.
"""

import argparse
import json
import queue
import random
import threading
import time

SHAPES = {
    # section: (producers, items per producer, consumers)
    "one-one": (1, 10, 1),
    "many-one": (3, 5, 1),
    "one-many": (1, 10, 3),
    "many-many": (3, 10, 5),
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--section", choices=sorted(SHAPES), required=True)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--time-scale", type=float, default=1.0)
    parser.add_argument("--json", required=True)
    args = parser.parse_args()
    producers, items, consumers = SHAPES[args.section]
    scale = args.time_scale
    q = queue.Queue()
    barrier = threading.Barrier(producers)
    values = [[] for _ in range(producers)]
    numbered_producers = producers > 1
    numbered_consumers = consumers > 1

    def producer(identifier):
        rng = random.Random(args.seed * 1000 + identifier)
        name = f"Producer {identifier}" if numbered_producers else "Producer"
        print(f"{name}: Running")
        for i in range(items):
            value = rng.random()
            values[identifier].append(value)
            time.sleep(value * scale)
            q.put((i, value))
            if args.section == "one-one":
                print(f">producer added {(i, value)}")
        if numbered_producers:
            barrier.wait()
            if identifier == 0:
                q.put(None)
        else:
            q.put(None)
        print(f"{name}: Done")

    def consumer(identifier):
        name = f"Consumer {identifier}" if numbered_consumers else "Consumer"
        got = f">consumer {identifier} got" if numbered_consumers else ">consumer got"
        print(f"{name}: Running")
        while True:
            item = q.get()
            if item is None:
                if numbered_consumers:
                    q.put(item)
                break
            time.sleep(item[1] * scale)
            print(f"{got} {item}")
        print(f"{name}: Done")

    consumer_threads = [threading.Thread(target=consumer, args=(c,)) for c in range(consumers)]
    producer_threads = [threading.Thread(target=producer, args=(p,)) for p in range(producers)]
    began = time.perf_counter()
    for thread in consumer_threads + producer_threads:
        thread.start()
    for thread in producer_threads + consumer_threads:
        thread.join()
    makespan = time.perf_counter() - began
    with open(args.json, "w") as out:
        json.dump({"values": values, "makespan": makespan}, out)


if __name__ == "__main__":
    main()
