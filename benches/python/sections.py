"""Runs one of the tutorial's four programs (one_one.py, many_one.py,
one_many.py, many_many.py, in examples/python) with a seed and a time scale,
and reports what the Performance chapter compares: the values each producer
drew, and the makespan (seconds from starting the threads to joining the
last one).

    python3 benches/python/sections.py --section many-many --seed 1 \
        --time-scale 0.02 --json run.json

The program prints the tutorial's lines; the report goes to the --json file.
"""

import argparse
import importlib.util
import json
import pathlib
import sys
import time


PROGRAMS = pathlib.Path(__file__).resolve().parents[2] / "examples" / "python"
sys.path.insert(0, str(PROGRAMS))  # Their `common`.

from common import Values  # noqa: E402


def load(section):
    path = PROGRAMS / (section.replace("-", "_") + ".py")
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--section", choices=["one-one", "many-one", "one-many", "many-many"], required=True
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--time-scale", type=float, default=1.0)
    parser.add_argument("--json", required=True)
    args = parser.parse_args()
    program = load(args.section)
    producers = getattr(program, "PRODUCERS", 1)
    # Each producer draws from Values(seed, its identifier).
    values = []
    for identifier in range(producers):
        rng = Values(args.seed, identifier)
        values.append([rng.random() for _ in range(program.ITEMS)])
    began = time.perf_counter()
    program.main(args.seed, args.time_scale)
    makespan = time.perf_counter() - began
    with open(args.json, "w") as out:
        json.dump({"values": values, "makespan": makespan}, out)


if __name__ == "__main__":
    main()
