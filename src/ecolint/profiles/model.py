"""A CPU profile reduced to what the join needs: distinct frames and weighted stacks."""

from __future__ import annotations

from dataclasses import dataclass

# py-spy samples 100 times a second unless told otherwise (`py-spy record --rate`).
DEFAULT_RATE_HZ = 100.0

# The first line of a collapsed profile whose counts are CPU time (`pytest --eco-profile`
# writes it): flame-graph tools skip it, as a line that does not end with a count.
CPU_CLOCK_HEADER = "# ecolint: counts are CPU time"


class ProfileError(ValueError):
    """A profile that cannot be read: the message names the file and what is wrong."""


@dataclass(frozen=True, slots=True)
class Frame:
    """One distinct frame: the file as the profiler recorded it, and the line it was on
    (``None`` when the profile has no line numbers, e.g. ``py-spy --nolineno``)."""

    file: str
    line: int | None


@dataclass(frozen=True, slots=True)
class Stack:
    """The frames of one call stack, how many samples caught it and the CPU seconds they
    stand for. Repeats are kept (recursion): the join counts a stack once per finding."""

    frames: tuple[int, ...]  # indexes into Profile.frames, as the file lists them
    samples: int
    cpu_s: float


@dataclass(frozen=True, slots=True)
class Profile:
    path: str
    format: str  # "collapsed", "speedscope", "austin" or "pyinstrument"
    frames: tuple[Frame, ...]
    stacks: tuple[Stack, ...]
    rate_hz: float
    # "cpu": each sample stands for CPU time the code used (ecolint's own sampler, Austin
    # -s, pyinstrument scaled to its CPU time). "sampled": a sample was taken whenever the
    # thread was not idle (py-spy, speedscope, Austin wall mode), so on a busy machine it
    # also counts time spent waiting for a CPU, and the seconds are at most CPU time.
    clock: str = "sampled"

    @property
    def samples(self) -> int:
        return sum(stack.samples for stack in self.stacks)

    @property
    def cpu_s(self) -> float:
        return sum(stack.cpu_s for stack in self.stacks)
