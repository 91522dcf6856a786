"""How the ECO402 / ECO403 rules read SQL text: which queries send unused columns or
unbounded results, beyond the rules' own examples."""

from __future__ import annotations

import pytest

from ecolint_rules.sql.sql_select_star import selects_star
from ecolint_rules.sql.unbounded_fetchall import is_unbounded_select


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT * FROM orders",  # noqa: ECO402
        "select *\n  from orders where id = ?",  # noqa: ECO402
        "WITH recent AS (SELECT id FROM orders) SELECT * FROM recent",  # noqa: ECO402
        "DELETE FROM t; SELECT * FROM orders",  # noqa: ECO402
        "SELECT a FROM t UNION ALL SELECT * FROM u",  # noqa: ECO402
    ],
)
def test_a_top_level_select_star_on_a_named_table_is_flagged(sql):
    assert selects_star(sql)


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT COUNT(*) FROM orders",
        "SELECT o.* FROM orders o",
        "SELECT id FROM users u WHERE EXISTS (SELECT * FROM orders o WHERE o.u = u.id)",
        "SELECT * FROM (SELECT id, name FROM users) AS u",
        "SELECT * FROM unnest(%s)",
        "CREATE VIEW v AS SELECT * FROM users",
        "SELECT * FROM users LIMIT 1",
        "SELECT * FROM users WHERE 1 = 0",
        "SELECT * FROM {}",
        "SELECT * FROM %s",
        "Reading failed; pass a query instead, e.g. 'SELECT * FROM users'",
    ],
)
def test_a_select_star_that_sends_no_unused_column_is_not_flagged(sql):
    assert not selects_star(sql)


@pytest.mark.parametrize(
    ("sql", "unbounded"),
    [
        ("SELECT id, payload FROM events", True),
        ("  (SELECT id FROM events ORDER BY id)", True),
        ("SELECT id FROM events WHERE day = ?", False),
        ("SELECT id FROM events LIMIT 10", False),
        ("SELECT TOP 10 id FROM events", False),
        ("SELECT id FROM events FETCH FIRST 5 ROWS ONLY", False),
        ("SELECT COUNT(*) FROM events", False),
        ("SELECT kind, COUNT(*) FROM events GROUP BY kind", True),
        ("UPDATE events SET seen = 1", False),
    ],
)
def test_a_select_is_unbounded_without_limit_or_where(sql, unbounded):
    assert is_unbounded_select(sql) is unbounded
