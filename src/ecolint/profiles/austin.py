"""Austin's text output (https://github.com/P403n1x87/austin): one line per sample,
``P<pid>;T<thread>;frame;...;frame METRIC``, root first, METRIC in microseconds.

Austin 3 (``austin -s -o FILE``) starts the file with ``# key: value`` metadata (``# mode:
cpu``, ``# interval: 100``) and writes a frame as ``path:function:line``; in ``full``
mode METRIC is ``time,idle,memory`` and an idle sample holds no CPU time. Austin 2 wrote
a frame as ``function (path:line)`` (``function (path);L<line>`` with ``--alt-format``),
and in full mode three metrics separated by spaces, time first. A memory profile holds
bytes, not time, and is refused.

Without ``# interval`` the rate is Austin's default, one sample per 100 µs; each stack's
microseconds become samples of that length (``timed``). With ``-s`` (``mode: cpu``) the
time is CPU time; without it, wall time, waits included.
"""

from __future__ import annotations

from collections.abc import Iterable

from ecolint.profiles.collapsed import parse_frame
from ecolint.profiles.model import Frame, Profile, ProfileError
from ecolint.profiles.timed import TimedStacks

DEFAULT_INTERVAL_US = 100.0


def is_austin(first_line: str) -> bool:
    """Whether the first non-blank line of a text profile is Austin's: its metadata, or a
    sample starting ``P<pid>;T``."""
    if first_line.startswith("# austin"):
        return True
    pid, semicolon, rest = first_line.partition(";")
    return bool(semicolon) and pid[:1] == "P" and pid[1:].isdigit() and rest[:1] == "T"


def read_austin(lines: Iterable[str], path: str) -> Profile:
    metadata: dict[str, str] = {}
    stacks = TimedStacks()
    frames: dict[str, Frame] = {}
    for number, raw in enumerate(lines, start=1):
        line = raw.rstrip("\r\n")
        if line.startswith("#"):
            key, colon, value = line[1:].partition(":")
            if colon:
                metadata[key.strip()] = value.strip()
                if metadata.get("mode") == "memory":
                    raise ProfileError(f"{path}: an Austin memory profile holds bytes, not time")
            continue
        if not line.strip():
            continue
        head, time_us = _metric(line, path, number)
        process, _, rest = head.partition(";")
        thread, _, stack = rest.partition(";")
        if process[:1] != "P" or thread[:1] != "T":
            raise ProfileError(f"{path}:{number}: expected `P<pid>;T<thread>;... MICROSECONDS`")
        if time_us:
            stacks.add(_frames(stack, frames), time_us / 1e6)
    interval = float(metadata.get("interval") or DEFAULT_INTERVAL_US)
    if interval <= 0:
        raise ProfileError(f"{path}: interval {interval:g} µs is not a sampling interval")
    clock = "cpu" if metadata.get("mode") == "cpu" else "sampled"
    return stacks.profile(path, "austin", 1e6 / interval, clock=clock)


def _metric(line: str, path: str, number: int) -> tuple[str, float]:
    """The sample's stack and its time in µs (0 for an idle sample of full mode)."""
    head, space, metric = line.rpartition(" ")
    if not space:
        raise ProfileError(f"{path}:{number}: expected a time in microseconds at the end")
    parts = line.rsplit(" ", 3)
    if len(parts) == 4 and all(_is_int(p) for p in parts[1:]):  # Austin 2 full mode
        head, metric = parts[0], parts[1]
    values = metric.split(",")  # Austin 3 full mode: time,idle,memory
    if not all(_is_int(value) for value in values):
        raise ProfileError(f"{path}:{number}: expected a time in microseconds at the end")
    idle = len(values) == 3 and values[1] != "0"
    return head, 0.0 if idle else float(values[0])


def _is_int(text: str) -> bool:
    return text.lstrip("-").isdigit()


def _frames(stack: str, known: dict[str, Frame]) -> list[Frame]:
    frames: list[Frame] = []
    for text in stack.split(";") if stack else ():
        if text[:1] == "L" and text[1:].isdigit() and frames:  # --alt-format's line
            frames[-1] = Frame(frames[-1].file, int(text[1:]))
            continue
        frame = known.get(text)
        if frame is None:
            frame = known[text] = _frame(text)
        frames.append(frame)
    return frames


def _frame(text: str) -> Frame:
    """``path:function:line`` (Austin 3) or ``function (path:line)`` (Austin 2)."""
    if text.endswith(")") and " (" in text:
        return parse_frame(text)
    file, _, line = text.rsplit(":", 2) if text.count(":") >= 2 else (text, "", "")
    return Frame(file, int(line)) if line.isdigit() else Frame(text, None)
