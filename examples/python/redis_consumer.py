"""A consumer in Python that processes items from a stream of redis-streams.

It reads in the same consumer group as the Rust consumers, so it takes
items a Rust producer adds (`redis-streams producer`), and shares them
with any Rust consumer running: all keep the stream's format
(book/src/redis-format.md). It needs the redis-py package
(`pip install redis`) and a stream that `redis-streams open` made:

    export REDIS_URL=redis://127.0.0.1:6379/
    cargo run -p redis-streams -- open --stream jobs
    python3 examples/python/redis_consumer.py --stream jobs --id 7
    cargo run -p redis-streams -- producer --stream jobs --id 0 --seed 1
    cargo run -p redis-streams -- close --stream jobs

Unlike the Rust consumer, it never claims what another consumer held too
long: run it beside Rust consumers, which do.
"""

import os
import time

import redis

from common import flags, say

GROUP = "consumers"


# ANCHOR: consumer
def item_of(fields):
    """The item an entry holds, or None: `i` a whole number, `value` a
    float in [0, 1), both as text."""
    try:
        i, value = int(fields[b"i"]), float(fields[b"value"])
    except (KeyError, ValueError, UnicodeDecodeError):
        return None
    return (i, value) if i >= 0 and 0.0 <= value < 1.0 else None


def consumer(r, stream, identifier, time_scale):
    say(f"Consumer {identifier}: Running")
    name = f"python-{identifier}"
    while True:
        # The stream was closed before this read: if the read finds
        # nothing, and nothing is pending, there is nothing more.
        closed = r.exists(f"{stream}:closed")
        reply = r.xreadgroup(GROUP, name, {stream: ">"}, count=10, block=100)
        entries = [entry for _, batch in reply for entry in batch]
        if not entries:
            if closed and r.xpending(stream, GROUP)["pending"] == 0:
                break
            continue
        for entry_id, fields in entries:
            item = item_of(fields)
            if item is None:
                # Kept, with its reason, for someone to look at.
                letter = {b"entry": entry_id, b"reason": b"not an item", **fields}
                r.xadd(f"{stream}:dead", letter)
            else:
                time.sleep(item[1] * time_scale)
            # Done: off the pending list, and out of the stream.
            r.xack(stream, GROUP, entry_id)
            r.xdel(stream, entry_id)
            if item is not None:
                say(f">consumer {identifier} got {item}")
    say(f"Consumer {identifier}: Done")
# ANCHOR_END: consumer


if __name__ == "__main__":
    parser = flags(__doc__)
    parser.add_argument("--stream", default="producer-consumer")
    parser.add_argument("--id", type=int, default=0)
    args = parser.parse_args()
    r = redis.Redis.from_url(os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/"))
    consumer(r, args.stream, args.id, args.time_scale)
