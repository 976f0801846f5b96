"""What every Python program here shares: the random values of a
producer, from a seed, and a way to print a whole line from any thread.
The Rust programs' `common` draws the values the same way (SplitMix64), so
that `--seed 42` makes the same items in both languages, and their lines
can be compared one for one.
"""

import argparse
import sys

MASK = (1 << 64) - 1


def flags(doc):
    """The flags every program here takes, as the Rust programs do:
    --seed and --time-scale. Add a program's own before `parse_args()`."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--time-scale", type=float, default=1.0)
    return parser


# ANCHOR: say
def say(line):
    """Prints `line` in one write. `print` writes the text and its newline
    in two, and a thread can print between them: "Consumer 2: DoneProducer
    1: Done"."""
    sys.stdout.write(line + "\n")
# ANCHOR_END: say


# ANCHOR: values
class Values:
    """A producer's random values, in [0, 1)."""

    def __init__(self, seed, producer):
        self.state = (seed ^ (producer * 0xD1B54A32D192ED03)) & MASK

    def random(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        z ^= z >> 31
        # The top 53 bits: as many as a float holds exactly.
        return (z >> 11) / (1 << 53)
# ANCHOR_END: values
