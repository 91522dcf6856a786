"""Reading py-spy's profiles: collapsed stacks (``--format raw``) and speedscope JSON.

The files in recorded/ were written by py-spy from real runs of hot_cold.py (see
recorded/README.md); the malformed inputs below are written here, as no profiler writes
them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ecolint.profiles.collapsed import parse_frame
from ecolint.profiles.model import Frame, Profile, ProfileError
from ecolint.profiles.read import read_profile

RECORDED = Path(__file__).parent / "recorded"


def samples_on(profile: Profile, file_end: str, line: int) -> int:
    ids = {i for i, f in enumerate(profile.frames) if f.file.endswith(file_end) and f.line == line}
    return sum(stack.samples for stack in profile.stacks if ids.intersection(stack.frames))


def test_a_raw_profile_counts_every_sample_at_the_given_rate():
    profile = read_profile(RECORDED / "hot_cold.raw.txt", rate_hz=1000)
    assert profile.format == "collapsed"
    assert profile.samples == 1438  # the sum of the counts py-spy wrote
    assert profile.cpu_s == pytest.approx(1.438)
    assert samples_on(profile, "hot_cold.py", 15) == 1422
    assert samples_on(profile, "hot_cold.py", 22) == 1


def test_a_sample_that_caught_no_python_frame_still_counts():
    profile = read_profile(RECORDED / "hot_cold.raw.txt", rate_hz=1000)
    assert [stack.samples for stack in profile.stacks if not stack.frames] == [6]


def test_raw_frames_keep_py_spys_short_paths_and_frozen_modules():
    files = {frame.file for frame in read_profile(RECORDED / "hot_cold.raw.txt").frames}
    assert {"hot_cold.py", "random.py", "<frozen importlib._bootstrap>"} <= files


def test_thread_pseudo_frames_have_no_line():
    profile = read_profile(RECORDED / "hot_cold.full.txt")
    assert Frame("18496", None) in profile.frames
    assert profile.samples == 109 and profile.rate_hz == 100
    assert samples_on(profile, "/work/main/tests/profiles/hot_cold.py", 15) == 104


def test_speedscope_says_its_own_rate_and_cpu_time():
    profile = read_profile(RECORDED / "hot_cold.speedscope.json", rate_hz=100)
    assert profile.format == "speedscope"
    assert profile.samples == 1212
    assert profile.rate_hz == pytest.approx(1000)  # weights of 0.001 s each
    assert profile.cpu_s == pytest.approx(1.212)
    assert samples_on(profile, "/work/main/tests/profiles/hot_cold.py", 15) == 1202
    assert samples_on(profile, "/work/main/tests/profiles/hot_cold.py", 14) == 1


@pytest.mark.parametrize(
    ("text", "frame"),
    [
        ("hot (hot_cold.py:15)", Frame("hot_cold.py", 15)),
        ("main.<locals>.<listcomp> (a/b.py:28)", Frame("a/b.py", 28)),
        ("_load (<frozen importlib._bootstrap>:690)", Frame("<frozen importlib._bootstrap>", 690)),
        (r"f (C:\app\m.py:3)", Frame(r"C:\app\m.py", 3)),
        ("thread (18496)", Frame("18496", None)),
        ("f (m.py)", Frame("m.py", None)),  # py-spy --nolineno
        ('process 7:"python x.py"', Frame('process 7:"python x.py"', None)),
    ],
)
def test_frames_are_read_as_py_spy_writes_them(text, frame):
    assert parse_frame(text) == frame


def test_a_line_without_a_count_is_an_error_naming_the_line(tmp_path):
    path = tmp_path / "p.txt"
    path.write_text("main (m.py:1) 3\nmain (m.py:2) many\n")
    with pytest.raises(ProfileError, match=r"p.txt:2: expected a sample count"):
        read_profile(path)


def test_invalid_json_and_memory_profiles_are_errors(tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text('{"profiles": [')
    with pytest.raises(ProfileError, match="invalid JSON"):
        read_profile(broken)
    memory = tmp_path / "memory.json"
    memory.write_text(
        '{"shared": {"frames": [{"name": "f"}]}, "profiles": [{"type": "sampled", '
        '"unit": "bytes", "samples": [[0]], "weights": [64]}]}'
    )
    with pytest.raises(ProfileError, match=r"memory\.json: weights in 'bytes' are not CPU time"):
        read_profile(memory)
    other = tmp_path / "other.json"
    other.write_text('{"traceEvents": []}')
    with pytest.raises(ProfileError, match=r"other\.json: not a speedscope profile"):
        read_profile(other)
