"""The lines a finding is charged with: its own, or the loop that repeats it."""

from __future__ import annotations

import textwrap

from ecolint.profiles.ranges import cost_lines


def lines_of(code: str, line: int, column: int) -> tuple[int, int]:
    """The lines charged for a one-character finding at ``line``, ``column``."""
    (found,) = cost_lines(textwrap.dedent(code), [(line, column, line, column + 1)])
    return found


def test_a_finding_outside_any_loop_keeps_its_own_lines():
    assert lines_of("x = 1\ny = sorted(x)[0]\n", 2, 5) == (2, 2)


def test_a_finding_in_a_loop_body_is_charged_with_the_whole_loop():
    code = """\
        def f(data):
            for item in data:
                check(item)
                best = sorted(data)[0]
            return best
        """
    assert lines_of(code, 4, 9) == (2, 4)


def test_the_innermost_loop_that_repeats_it():
    code = """\
        for a in xs:
            prepare(a)
            for b in ys:
                sorted(b)[0]
        """
    assert lines_of(code, 4, 9) == (3, 4)


def test_a_for_iterable_runs_once_so_it_is_not_in_that_loop():
    code = """\
        for x in sorted(data):
            use(x)
        """
    assert lines_of(code, 1, 10) == (1, 1)


def test_a_while_test_is_repeated():
    code = """\
        while len(queue) > 0:
            queue.pop(0)
        """
    assert lines_of(code, 1, 7) == (1, 2)


def test_a_comprehension_repeats_all_but_its_first_iterable():
    code = """\
        best = [
            sorted(row)[0]
            for row in load(
                path
            )
        ]
        """
    assert lines_of(code, 2, 5) == (1, 6)
    assert cost_lines(textwrap.dedent(code), [(3, 16, 5, 6)]) == [(3, 5)]  # load(path)


def test_a_def_inside_a_loop_stops_the_search():
    code = """\
        for name in names:
            def key(item):
                return sorted(item)[0]
        """
    assert lines_of(code, 3, 16) == (3, 3)


def test_columns_count_characters_on_non_ascii_lines():
    code = f'for x in xs:\n    f = lambda: "{"é" * 30}"; best = sorted(x)[0]\n'
    column = code.splitlines()[1].index("sorted") + 1
    # ast counts bytes: read as characters, the lambda would seem to hold the finding
    assert cost_lines(code, [(2, column, 2, column + 12)]) == [(1, 2)]


def test_a_file_that_does_not_parse_keeps_the_findings_lines():
    assert cost_lines("for x in :\n", [(1, 1, 1, 4)]) == [(1, 1)]
