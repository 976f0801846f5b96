"""A producer in Python that adds items to a stream of redis-streams.

The Rust consumers (`redis-streams consumer`) read what it adds, as they
read a Rust producer's: both keep the stream's format (book/src/redis-format.md).
It needs the redis-py package (`pip install redis`) and a stream that
`redis-streams open` made:

    export REDIS_URL=redis://127.0.0.1:6379/
    cargo run -p redis-streams -- open --stream jobs
    python3 examples/python/redis_producer.py --stream jobs --id 7 --seed 1
    cargo run -p redis-streams -- close --stream jobs
"""

import os
import time

import redis

from common import Values, flags, say


# ANCHOR: producer
def producer(r, stream, identifier, items, seed, time_scale):
    say(f"Producer {identifier}: Running")
    rng = Values(seed, identifier)
    for i in range(items):
        value = rng.random()
        time.sleep(value * time_scale)
        # One entry per item; `repr` writes the shortest text that reads
        # back as the same float, as Rust's `{:?}` does.
        r.xadd(stream, {"producer": identifier, "i": i, "value": repr(value)})
        say(f">producer {identifier} added {(i, value)}")
    say(f"Producer {identifier}: Done")
# ANCHOR_END: producer


if __name__ == "__main__":
    parser = flags(__doc__)
    parser.add_argument("--stream", default="producer-consumer")
    parser.add_argument("--id", type=int, default=0)
    parser.add_argument("--items", type=int, default=10)
    args = parser.parse_args()
    r = redis.Redis.from_url(os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/"))
    producer(r, args.stream, args.id, args.items, args.seed, args.time_scale)
