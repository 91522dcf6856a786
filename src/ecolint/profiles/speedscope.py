"""speedscope's JSON format (https://www.speedscope.app/file-format-schema.json), as
``py-spy record --format speedscope`` writes it: shared frames ``{name, file, line}``
and, per thread, a ``sampled`` profile whose ``samples`` are stacks of frame indexes
and whose ``weights`` say what each sample stands for in the profile's ``unit``.

With a time unit (py-spy writes ``seconds``, 1/rate each) each entry is one sample and
its weight its CPU time, so the file itself says the sampling rate; with ``none`` a
weight is a number of samples, turned into seconds at the rate given to the reader.
"""

from __future__ import annotations

from typing import Any

from ecolint.profiles.model import Frame, Profile, ProfileError, Stack

_SECONDS_PER_UNIT = {
    "seconds": 1.0,
    "milliseconds": 1e-3,
    "microseconds": 1e-6,
    "nanoseconds": 1e-9,
}


def read_speedscope(document: Any, path: str, rate_hz: float) -> Profile:
    try:
        frames = tuple(_frame(frame) for frame in document["shared"]["frames"])
        sampled = [p for p in document["profiles"] if p.get("type") == "sampled"]
        stacks, timed, seconds = _stacks(sampled, path, rate_hz)
    except ProfileError:
        raise
    except (KeyError, TypeError, AttributeError, ValueError) as error:
        raise ProfileError(f"{path}: not a speedscope profile ({error!r})") from None
    if not sampled:
        raise ProfileError(f"{path}: the speedscope file holds no sampled profile")
    if any(not 0 <= index < len(frames) for stack in stacks for index in stack.frames):
        raise ProfileError(f"{path}: a sample refers to a frame the file does not list")
    # A time unit records the rate: samples over the time they stand for.
    rate = timed / seconds if seconds > 0 else rate_hz
    return Profile(path, "speedscope", frames, tuple(stacks), rate)


def _stacks(sampled: list[Any], path: str, rate_hz: float) -> tuple[list[Stack], int, float]:
    """The stacks of every sampled profile (one per thread), with how many samples had
    their weight in a time unit and the seconds those weights add up to."""
    stacks: list[Stack] = []
    timed, seconds = 0, 0.0
    for profile in sampled:
        unit = profile.get("unit", "none")
        if unit != "none" and unit not in _SECONDS_PER_UNIT:
            raise ProfileError(f"{path}: weights in {unit!r} are not CPU time")
        for stack, weight in zip(profile["samples"], profile["weights"], strict=True):
            if unit == "none":  # a weight is a number of samples
                count, cpu_s = int(weight), weight / rate_hz
            else:  # an entry is one sample, its weight the time it stands for
                count, cpu_s = 1, weight * _SECONDS_PER_UNIT[unit]
                timed, seconds = timed + 1, seconds + cpu_s
            stacks.append(Stack(tuple(map(int, stack)), count, cpu_s))
    return stacks, timed, seconds


def _frame(frame: dict[str, Any]) -> Frame:
    line = frame.get("line")
    return Frame(str(frame.get("file") or frame["name"]), line if isinstance(line, int) else None)
