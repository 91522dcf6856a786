"""Stacks that a profiler times one by one (Austin's microseconds, pyinstrument's seconds),
turned into the samples the join counts.

Identical stacks add up; each becomes ``round(seconds × rate)`` samples, ``rate`` being
the profiler's own sampling rate, so that a sample stands for the same time in every
stack: a sample delayed by the GIL, which the profiler timed longer, weighs its length.
"""

from __future__ import annotations

from collections.abc import Iterable

from ecolint.profiles.model import Frame, Profile, Stack


class TimedStacks:
    def __init__(self) -> None:
        self.frames: dict[Frame, int] = {}
        self.seconds: dict[tuple[int, ...], float] = {}

    def add(self, frames: Iterable[Frame], seconds: float) -> None:
        ids = self.frames
        key = tuple(ids.setdefault(frame, len(ids)) for frame in frames)
        self.seconds[key] = self.seconds.get(key, 0.0) + seconds

    def profile(
        self, path: str, format: str, rate_hz: float, cpu_scale: float = 1.0, clock: str = "cpu"
    ) -> Profile:
        """``cpu_scale`` turns the recorded seconds into CPU seconds (1 when they are);
        ``clock`` is ``"sampled"`` when they are wall time (see ``Profile.clock``)."""
        stacks = tuple(
            Stack(key, round(seconds * rate_hz), seconds * cpu_scale)
            for key, seconds in self.seconds.items()
        )
        return Profile(path, format, tuple(self.frames), stacks, rate_hz, clock)
