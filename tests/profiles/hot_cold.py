"""A program with one hot loop and one cold one, each holding an ECO104 finding
(`sorted(...)[0]` sorts a whole copy to take one element).

test_real_profile.py profiles it with py-spy; recorded/ holds profiles of it (the hot
loop about 97 % of the CPU, the cold one under 1 %): they name its lines, so re-record
them after an edit that moves a line (recorded/README.md has the commands).
"""

import random


def hot(data, rounds):
    total = 0.0
    for _ in range(rounds):
        total += sorted(data)[0]
    return total


def cold(data, rounds):
    total = 0.0
    for _ in range(rounds):
        total += sorted(data)[-1]
    return total


def main():
    rng = random.Random(14)
    data = [rng.random() for _ in range(20_000)]
    hot(data, 400)
    cold(data[:1_000], 20)


if __name__ == "__main__":
    main()
