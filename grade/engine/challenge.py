"""The seed of one boot and the pseudo-random sequence drawn from it (splitmix64).

What a reader must know: kernel/lib/challenge.c draws the very same numbers from the
seed the grader puts on the command line (seed=<16 hex digits>). A lab file whose
`expect` is a function gets a fresh Challenge for each boot and draws from it in the
order the scenario does, so the lines it expects are those of this boot only: output
recorded from another boot, or canned in a student's kernel, does not match.
"""

import secrets

WORD = _MASK = (1 << 64) - 1  # a 64-bit word: arithmetic on words is mod 2^64
DIGEST_START = 0xCBF29CE484222325
# kernel/include/challenge.h's CHALLENGE_DEFAULT_SEED: a boot without seed= (make run).
DEFAULT_SEED = 0x6D696E696D5EED
# The seed a lab file's expect function is tried with when the lab file is loaded.
SAMPLE_SEED = 0x0123456789ABCDEF


def new_seed():
    """A fresh 64-bit seed."""
    return secrets.randbits(64)


def seed_word(seed):
    """The command-line word that hands seed to the kernel and the root task."""
    return f"seed={seed:016x}"


def digest(words, h=DIGEST_START):
    """challenge.h's digest: FNV-1a over whole 64-bit words, from h on, in order."""
    for w in words:
        h = ((h ^ w) * 0x100000001B3) & WORD
    return h


class Challenge:
    """The sequence of one seed; every method draws as its C namesake does."""

    def __init__(self, seed):
        self.seed = seed & _MASK
        self.state = self.seed

    def next(self):
        """challenge_next(): the next 64-bit number."""
        self.state = (self.state + 0x9E3779B97F4A7C15) & _MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
        return z ^ (z >> 31)

    def range(self, lo, hi):
        """challenge_range(): a number from lo to hi, both included."""
        span = (hi - lo + 1) & _MASK
        x = self.next()
        return x if span == 0 else lo + x % span

    def shuffled(self, items):
        """items in the order the scenarios' Fisher-Yates loop leaves them: for i from
        the last down to 1, swap item i with item challenge_range(c, 0, i)."""
        items = list(items)
        for i in range(len(items) - 1, 0, -1):
            j = self.range(0, i)
            items[i], items[j] = items[j], items[i]
        return items
