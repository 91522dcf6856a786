"""pyinstrument's saved session (``pyinstrument -r session -o run.pyisession``, or
``Profiler().last_session.save(path)``): JSON whose ``frame_records`` are samples,
``[[frame, ..., frame], seconds]`` root first, a frame being
``function\\0path\\0first line`` followed by ``\\x01``-prefixed attributes, ``l<line>``
the line it was on.

Its JSON renderer (``-r json``) is not read: it keeps a tree of functions with their
first line only, so no finding inside a function could be charged; the message says to
save the session instead.

pyinstrument times samples on the wall clock: a stack's share is its share of the wall
time, and the seconds are scaled to the session's ``cpu_time`` so that the profile adds
up to the CPU it used (a stack that only waited gets some of it: the price of reading
a wall-clock profiler).
"""

from __future__ import annotations

from typing import Any

from ecolint.profiles.model import Frame, Profile, ProfileError
from ecolint.profiles.timed import TimedStacks

_DEFAULT_INTERVAL_S = 0.001  # pyinstrument's default, and its reader's when unrecorded


def is_pyinstrument(document: Any) -> bool:
    return isinstance(document, dict) and ("frame_records" in document or "root_frame" in document)


def read_pyinstrument(document: dict[str, Any], path: str) -> Profile:
    if "frame_records" not in document:
        raise ProfileError(
            f"{path}: pyinstrument's JSON renderer keeps the first line of each function, "
            "not the line that ran; save the session instead "
            "(pyinstrument -r session -o run.pyisession)"
        )
    stacks = TimedStacks()
    known: dict[str, Frame] = {}
    try:
        interval = float(document.get("min_interval") or _DEFAULT_INTERVAL_S)
        for identifiers, seconds in document["frame_records"]:
            stacks.add((_frame(text, known) for text in identifiers), float(seconds))
        wall = sum(stacks.seconds.values())
        cpu = float(document.get("cpu_time") or wall)
    except (TypeError, ValueError, AttributeError) as error:
        raise ProfileError(f"{path}: not a pyinstrument session ({error!r})") from None
    return stacks.profile(path, "pyinstrument", 1 / interval, cpu / wall if wall else 1.0)


def _frame(identifier: str, known: dict[str, Frame]) -> Frame:
    frame = known.get(identifier)
    if frame is None:
        head, *attributes = identifier.split("\x01")
        fields = head.split("\x00")
        file = fields[1] if len(fields) > 1 else fields[0]
        lines = [a[1:] for a in attributes if a[:1] == "l" and a[1:].isdigit()]
        frame = known[identifier] = Frame(file, int(lines[0]) if lines else None)
    return frame
