"""Collapsed stacks, as ``py-spy record --format raw`` writes them (Brendan Gregg's
flamegraph input): one line per distinct stack, ``frame;frame;...;frame COUNT``, root
first, where py-spy writes a frame as ``function (path/file.py:LINE)``.

Thread and process pseudo-frames (``py-spy -t``, ``-s``) and frames without a line
(``--nolineno``) are kept as frames that map to no line, so their samples still count in
the profile's total.
"""

from __future__ import annotations

from collections.abc import Iterable

from ecolint.profiles.model import CPU_CLOCK_HEADER, Frame, Profile, ProfileError, Stack


class _Ids(dict[str, int]):
    """Frame text → index, numbering each new text as it first appears (``__missing__``
    keeps the common case, a frame seen before, a plain C-level lookup)."""

    def __missing__(self, key: str) -> int:
        index = self[key] = len(self)
        return index


def parse_frame(text: str) -> Frame:
    """``hot (app/loop.py:12)`` → ``Frame("app/loop.py", 12)``; anything else keeps its
    text as the file, with no line."""
    at = text.find(" (")
    if at < 0 or not text.endswith(")"):
        return Frame(text, None)
    inside = text[at + 2 : -1]
    file, colon, line = inside.rpartition(":")
    if colon and line.isdigit():
        return Frame(file, int(line))
    return Frame(inside, None)


def read_collapsed(lines: Iterable[str], path: str, rate_hz: float) -> Profile:
    """Read collapsed stacks; ``rate_hz`` turns sample counts into CPU seconds (the
    format does not record it)."""
    ids = _Ids()
    stacks: list[Stack] = []
    seconds_per_sample = 1.0 / rate_hz
    clock = "sampled"
    for number, line in enumerate(lines, start=1):
        if line.startswith("#"):
            if line.rstrip() == CPU_CLOCK_HEADER:
                clock = "cpu"
            continue
        stack, space, count = line.rpartition(" ")
        if not space:
            if line.strip():
                raise ProfileError(f"{path}:{number}: expected `frame;frame;... COUNT`")
            continue
        try:
            samples = int(count)
        except ValueError:
            raise ProfileError(
                f"{path}:{number}: expected a sample count at the end of the line"
            ) from None
        # py-spy writes a sample that caught no Python frame as ` COUNT`: it still counts
        frames = tuple(map(ids.__getitem__, stack.split(";"))) if stack else ()
        stacks.append(Stack(frames, samples, samples * seconds_per_sample))
    return Profile(
        path=path,
        format="collapsed",
        frames=tuple(parse_frame(text) for text in ids),
        stacks=tuple(stacks),
        rate_hz=rate_hz,
        clock=clock,
    )
