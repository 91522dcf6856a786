"""The SQL history store: SQLite by default, PostgreSQL for a whole organisation.

Reliability choices, each covered by a test in ``tests/history``:

- one transaction per record (run row and its children), so a killed writer leaves the
  store readable and the record either complete or absent;
- SQLite in WAL mode (readers never block the writer), a 30 s busy timeout, writes opened
  with ``BEGIN IMMEDIATE`` (the write lock is taken up front, so two writers never deadlock
  upgrading a read lock) and a few retries on "database is locked";
- the schema is migrated by Alembic under a lock (SQLite's write lock, a PostgreSQL
  advisory lock), so concurrent first runs migrate once; opening an up-to-date store only
  reads ``alembic_version`` and does not import Alembic (recording stays fast);
- every driver error becomes a ``HistoryError`` naming the store with its password hidden.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from ecolint.history.codec import record_to_dict, utc_time
from ecolint.history.sql_engine import create_engine, ensure_schema, reason
from ecolint.history.store import HistoryError
from ecolint.records import HistoryRecord, HotFinding, RepoScore, ScorePart

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine

WRITE_ATTEMPTS = 5


class SqlStore:
    """A ``HistoryStore`` on SQLAlchemy Core; open it with :meth:`open`."""

    def __init__(self, engine: Engine, display_url: str) -> None:
        self._engine = engine
        self.display_url = display_url

    @classmethod
    def open(cls, url: str) -> SqlStore:
        """Connect, check the schema version, migrate to the newest if needed."""
        try:
            import sqlalchemy
            from sqlalchemy.engine import make_url
        except ModuleNotFoundError as error:
            raise HistoryError(
                "the SQL history store needs SQLAlchemy and Alembic: pip install 'ecolint[history]'"
            ) from error
        try:
            parsed = make_url(url)
        except sqlalchemy.exc.ArgumentError as error:
            raise HistoryError(f"not a database URL: {url!r} ({error})") from error
        if parsed.drivername in ("postgresql", "postgres"):  # psycopg 3 is the driver we ship
            parsed = parsed.set(drivername="postgresql+psycopg")
        display = parsed.render_as_string(hide_password=True)
        engine = create_engine(parsed, display)
        store = cls(engine, display)
        try:
            with store._errors("open"):
                ensure_schema(engine)
        except BaseException:
            engine.dispose()
            raise
        return store

    def record(self, rec: HistoryRecord) -> None:
        self.record_many([rec])

    def record_many(self, recs: Iterable[HistoryRecord]) -> None:
        """Record several runs in one transaction: all of them or none.

        Not part of the protocol: it is how imports and the benchmarks' seeding avoid one
        commit (one fsync) per run.
        """
        from sqlalchemy.exc import OperationalError

        documents = [record_to_dict(rec) for rec in recs]  # validate all before writing
        if not documents:
            return
        for attempt in range(WRITE_ATTEMPTS):
            try:
                with self._errors("record"), self._writer() as conn:
                    _insert_runs(conn, documents)
                return
            except HistoryError as error:
                locked = isinstance(error.__cause__, OperationalError) and "locked" in str(error)
                if not locked or attempt == WRITE_ATTEMPTS - 1:
                    raise
                time.sleep(0.05 * 2**attempt)

    def records(
        self, repository: str | None = None, since: datetime | None = None
    ) -> Iterator[HistoryRecord]:
        from sqlalchemy import select

        from ecolint.history import schema

        query = select(schema.runs).order_by(schema.runs.c.recorded_at, schema.runs.c.id)
        if repository is not None:
            query = query.where(schema.runs.c.repository == repository)
        if since is not None:
            query = query.where(schema.runs.c.recorded_at >= utc_time(since).replace(tzinfo=None))
        parts, findings, pages = schema.score_parts.c, schema.findings.c, schema.ecoindex.c
        columns = [schema.runs.c[name] for name in _RUN_COLUMNS]
        with self._errors("read"), self._engine.connect() as conn:
            runs = _tuples(conn, query.with_only_columns(*columns))
            if not runs:
                return
            wanted = query.with_only_columns(schema.runs.c.id).order_by(None)
            run_parts = _children(conn, wanted, parts.name, parts.score, parts.grade, parts.detail)
            run_findings = _children(conn, wanted, findings.rule, findings.count)
            run_pages = _children(conn, wanted, pages.url, pages.score)
            hot = schema.hot_findings.c
            run_hot = _children(conn, wanted, hot.rank, hot.rule, hot.path, hot.line, hot.share,
                                hot.joules, hot.clock)  # fmt: skip
        for row in runs:
            yield _to_record(
                row,
                run_parts.get(row[0], ()),
                run_findings.get(row[0], ()),
                run_pages.get(row[0], ()),
                run_hot.get(row[0], ()),
            )

    def repositories(self) -> list[str]:
        from sqlalchemy import select

        from ecolint.history import schema

        query = select(schema.runs.c.repository).distinct().order_by(schema.runs.c.repository)
        with self._errors("read"), self._engine.connect() as conn:
            return list(conn.execute(query).scalars())

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> SqlStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def _writer(self) -> Iterator[Connection]:
        with self._engine.connect() as conn:
            conn.execution_options(ecolint_write=True)
            with conn.begin():
                yield conn

    @contextlib.contextmanager
    def _errors(self, action: str) -> Iterator[None]:
        from sqlalchemy.exc import SQLAlchemyError

        try:
            yield
        except SQLAlchemyError as error:
            raise HistoryError(
                f"history store {self.display_url}: cannot {action}: {reason(error)}"
            ) from error


_RUN_COLUMNS = (
    "id", "repository", "team", "branch", "commit", "recorded_at", "score", "grade",
    "energy_kwh", "carbon_g", "lines_of_code", "tool_version",
)  # fmt: skip


def _tuples(conn: Connection, statement: Any) -> list[tuple[Any, ...]]:
    """The driver's own row tuples. Why not SQLAlchemy's rows: building a row object per
    finding made reading 73,000 runs (about a million child rows) 3-4x slower. The price
    is that column types are not converted, which only matters for times (see
    ``_to_record``)."""
    result = conn.execute(statement)
    try:
        return list(result.cursor.fetchall())
    finally:
        result.close()


def _children(conn: Connection, runs: Any, *columns: Any) -> dict[int, list[Any]]:
    """Rows ``(run_id, *columns)`` of one child table for the runs that the ``runs`` query
    selects, grouped by run and ordered by the first column (part name, rule id, URL).

    One query per child table, not one per batch of runs: a join (or, unfiltered, a plain
    scan) is about twice as fast in SQLite as looking 1000 run ids up at a time.
    """
    from sqlalchemy import select

    table = columns[0].table
    statement = select(table.c.run_id, *columns).order_by(table.c.run_id, columns[0])
    if runs.whereclause is not None:
        statement = statement.where(table.c.run_id.in_(runs.scalar_subquery()))
    grouped: dict[int, list[Any]] = {}
    for row in _tuples(conn, statement):
        grouped.setdefault(row[0], []).append(row)
    return grouped


def _insert_runs(conn: Connection, documents: list[dict[str, Any]]) -> None:
    """Runs and their children in the caller's transaction: four batched inserts."""
    from sqlalchemy import insert

    from ecolint.history import schema

    inserted = conn.execute(
        insert(schema.runs).returning(schema.runs.c.id, sort_by_parameter_order=True),
        [_run_row(data) for data in documents],
    )
    run_ids = list(inserted.scalars())
    parts, findings, pages = [], [], []
    for run_id, data in zip(run_ids, documents, strict=True):
        parts += [{"run_id": run_id, **part} for part in data["score"]["parts"]]
        findings += [{"run_id": run_id, "rule": k, "count": v} for k, v in data["findings"].items()]
        pages += [{"run_id": run_id, "url": k, "score": v} for k, v in data["ecoindex"].items()]
    if parts:
        conn.execute(insert(schema.score_parts), parts)
    if findings:
        conn.execute(insert(schema.findings), findings)
    if pages:
        conn.execute(insert(schema.ecoindex), pages)
    hot = [
        {"run_id": run_id, "rank": rank, **finding}
        for run_id, data in zip(run_ids, documents, strict=True)
        for rank, finding in enumerate(data.get("hot_findings", ()))
    ]
    if hot:
        conn.execute(insert(schema.hot_findings), hot)


def _run_row(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "repository": data["repository"],
        "team": data["team"],
        "branch": data["branch"],
        "commit": data["commit"],
        "recorded_at": utc_time(data["recorded_at"]).replace(tzinfo=None),
        "score": data["score"]["score"],
        "grade": data["score"]["grade"],
        "energy_kwh": data["energy_kwh"],
        "carbon_g": data["carbon_g"],
        "lines_of_code": data["lines_of_code"],
        "tool_version": data["tool_version"],
    }


def _to_record(run: Any, parts: Any, findings: Any, pages: Any, hot: Any = ()) -> HistoryRecord:
    """A record from its run tuple (``_RUN_COLUMNS``) and child tuples; parts come in name
    order (code, tests, web), findings by rule id, pages by URL. SQLite hands the time
    back as text, PostgreSQL as a datetime: both are naive UTC."""
    (_, repository, team, branch, commit, at, score, grade, energy, carbon, lines, version) = run
    moment = datetime.fromisoformat(at) if isinstance(at, str) else at
    return HistoryRecord(
        repository=repository,
        commit=commit,
        recorded_at=moment.replace(tzinfo=UTC).isoformat(),
        score=RepoScore(score, grade, tuple(ScorePart(p[1], p[2], p[3], p[4]) for p in parts)),
        team=team,
        branch=branch,
        findings={f[1]: f[2] for f in findings},
        energy_kwh=energy,
        carbon_g=carbon,
        ecoindex={e[1]: e[2] for e in pages},
        hot_findings=tuple(HotFinding(*h[2:]) for h in hot),  # by rank: hottest first
        lines_of_code=lines,
        tool_version=version,
    )
