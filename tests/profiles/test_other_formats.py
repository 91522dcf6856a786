"""Austin's text samples and pyinstrument's saved sessions, told apart from py-spy's
formats by their start.

Austin: recorded/hot_cold.austin was written by Austin 3.7.0 (recorded/README.md), and the
Austin 2 lines below are those austin-python's own tests document as Austin's output
(P403n1x87/austin-python, test/stats/test_sample.py). pyinstrument records hot_cold.py
live, as a user would.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ecolint.profiles.model import Frame, Profile, ProfileError
from ecolint.profiles.read import read_profile
from helpers import require_component

HERE = Path(__file__).parent
RECORDED = HERE / "recorded"
HOT_COLD = "/work/main/tests/profiles/hot_cold.py"  # as Austin recorded it
HOT_LINE, COLD_LINE = 15, 22


def share_on(profile: Profile, file_end: str, line: int) -> float:
    ids = {i for i, f in enumerate(profile.frames) if f.file.endswith(file_end) and f.line == line}
    on = sum(stack.samples for stack in profile.stacks if ids.intersection(stack.frames))
    return on / profile.samples


def test_austin_3_samples_are_read_at_the_interval_austin_recorded():
    profile = read_profile(RECORDED / "hot_cold.austin")
    assert profile.format == "austin"
    assert profile.rate_hz == pytest.approx(200)  # `# interval: 5000` µs
    assert profile.samples == pytest.approx(profile.cpu_s * 200, rel=0.01)
    assert share_on(profile, HOT_COLD, HOT_LINE) >= 0.9
    assert share_on(profile, HOT_COLD, COLD_LINE) < 0.02
    files = {frame.file for frame in profile.frames}
    assert "<frozen importlib._bootstrap>" in files  # `path:function:line`, path kept whole


AUSTIN_2 = """\
P123;T0x7f546684;foo (foo_module.py:10);bar (bar_module.py:20) 42
P1;T7fdf1b437700;_bootstrap (/usr/lib/python3.6/threading.py);L884;\
_bootstrap_inner (/usr/lib/python3.6/threading.py);L916;\
run (/usr/lib/python3.6/threading.py);L864;keep_cpu_busy (test/target34.py);L31 10085
P1;T0x7f546684;foo (foo_module.py:10);bar (bar_module.py:20) 42 43 -44
P1;T0x7f546684 42 43 -44
"""


def test_austin_2_default_alternative_and_full_formats(tmp_path):
    path = tmp_path / "austin2.txt"
    path.write_text(AUSTIN_2)
    profile = read_profile(path)
    assert profile.format == "austin"
    assert profile.rate_hz == pytest.approx(10_000)  # Austin's default 100 µs
    assert Frame("test/target34.py", 31) in profile.frames
    assert Frame("/usr/lib/python3.6/threading.py", 884) in profile.frames
    assert Frame("bar_module.py", 20) in profile.frames
    assert profile.cpu_s == pytest.approx((42 + 10085 + 42 + 42) / 1e6)
    assert [s.samples for s in profile.stacks if not s.frames] == [0]  # 42 µs < 100 µs


def test_austin_3_full_mode_charges_no_cpu_to_idle_samples(tmp_path):
    path = tmp_path / "full.austin"
    path.write_text(
        "# austin: 3.7.0\n# interval: 100\n# mode: full\n\n"
        "P1;T0:1;app.py:work:3 500,0,1024\nP1;T0:1;app.py:wait:9 900,1,0\n"
    )
    profile = read_profile(path)
    assert profile.cpu_s == pytest.approx(500e-6)
    assert Frame("app.py", 9) not in profile.frames


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("# austin: 3.7.0\n# mode: memory\n\nP1;T0:1;a.py:f:1 64\n", "memory profile"),
        ("# austin: 3.7.0\n\nP1;T0:1;a.py:f:1\n", "time in microseconds"),
        ("# austin: 3.7.0\n\nfoo;bar 12\n", "P<pid>;T<thread>"),
    ],
)
def test_austin_files_that_hold_no_time_are_refused(tmp_path, text, message):
    path = tmp_path / "bad.austin"
    path.write_text(text)
    with pytest.raises(ProfileError, match=message):
        read_profile(path)


def test_a_py_spy_line_is_not_taken_for_austin(tmp_path):
    path = tmp_path / "raw.txt"
    path.write_text("Parser.run (app.py:3);step (app.py:9) 12\n")
    assert read_profile(path).format == "collapsed"


def pyinstrument_available() -> bool:
    return importlib.util.find_spec("pyinstrument") is not None


@pytest.mark.slow
def test_a_pyinstrument_session_puts_the_hot_loop_first(project, invoke):
    require_component(pyinstrument_available(), "pyinstrument", "pip install -e '.[dev]'")
    shutil.copy(HERE / "hot_cold.py", project / "prog.py")
    for renderer, output in (("session", "run.pyisession"), ("json", "run.json")):
        recorded = subprocess.run(
            [sys.executable, "-m", "pyinstrument", "-r", renderer, "-o", output, "prog.py"],
            cwd=project,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert recorded.returncode == 0, recorded.stderr
    profile = read_profile(project / "run.pyisession")
    assert profile.format == "pyinstrument"
    result = invoke(
        "check", "prog.py", "--no-cache", "--extend-select", "ECO104",
        "--profile", "run.pyisession", "--format", "json",
    )  # fmt: skip
    cost = {f["line"]: f["measured"] for f in json.loads(result.output)["findings"]}
    assert cost[HOT_LINE]["share"] >= 0.70, cost
    assert cost[COLD_LINE]["share"] < 0.02, cost
    # the JSON renderer keeps functions, not lines: refused with the way out
    with pytest.raises(ProfileError, match=r"save the session instead"):
        read_profile(project / "run.json")
