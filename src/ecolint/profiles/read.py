"""Open a profile file in whichever supported format it is in, told by its start: JSON is
speedscope, or a pyinstrument session when it has pyinstrument's keys; text is Austin's
when its first line is Austin's metadata or a ``P<pid>;T`` sample, else collapsed stacks."""

from __future__ import annotations

import json
from pathlib import Path

from ecolint.profiles.austin import is_austin, read_austin
from ecolint.profiles.collapsed import read_collapsed
from ecolint.profiles.model import DEFAULT_RATE_HZ, Profile, ProfileError
from ecolint.profiles.pyinstrument import is_pyinstrument, read_pyinstrument
from ecolint.profiles.speedscope import read_speedscope


def read_profile(path: Path, rate_hz: float = DEFAULT_RATE_HZ) -> Profile:
    """Read ``path``; ``rate_hz`` is the sampling rate for a format that does not record
    it (py-spy's default, 100 Hz, unless the profile was recorded with ``--rate``)."""
    name = str(path)
    try:
        with path.open(encoding="utf-8", errors="replace") as handle:
            start = handle.read(1)
            while start.isspace():
                start = handle.read(1)
            handle.seek(0)
            if start == "{":
                try:
                    document = json.load(handle)
                except json.JSONDecodeError as error:
                    raise ProfileError(f"{name}: invalid JSON ({error})") from None
                if is_pyinstrument(document):
                    return read_pyinstrument(document, name)
                return read_speedscope(document, name, rate_hz)
            first = next((line for line in handle if line.strip()), "")
            handle.seek(0)
            if is_austin(first):
                return read_austin(handle, name)
            return read_collapsed(handle, name, rate_hz)
    except OSError as error:
        raise ProfileError(f"{name}: {error.strerror or error}") from None
