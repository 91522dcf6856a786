"""Engines and schema for the SQL history store: connection settings, migrations, errors.

Why separate from the store: this is what makes the store safe to share (SQLite's WAL,
busy timeout and up-front write lock; migrations under a lock so that concurrent first runs
migrate once) and what turns driver errors into one readable line.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from ecolint.atomic import make_folder
from ecolint.history.store import HistoryError

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine

SQLITE_BUSY_TIMEOUT_S = 30.0
# pg_advisory_xact_lock key for migrations: any constant shared by every ecolint process.
MIGRATION_LOCK_KEY = 0x65636F6C  # "ecol"


def create_engine(parsed: Any, display: str) -> Engine:
    from sqlalchemy import create_engine as sqlalchemy_engine
    from sqlalchemy import event
    from sqlalchemy.exc import NoSuchModuleError

    backend = parsed.get_backend_name()
    try:
        if backend == "sqlite":
            engine = _sqlite_engine(parsed, sqlalchemy_engine, event)
        elif backend == "postgresql":
            engine = sqlalchemy_engine(parsed, connect_args={"connect_timeout": 10})
        else:
            raise HistoryError(
                f"history store {display}: unsupported database {backend!r}; "
                "use sqlite:///file or postgresql+psycopg://…"
            )
    except (ModuleNotFoundError, NoSuchModuleError) as error:
        raise HistoryError(
            f"history store {display}: missing database driver ({error}); for PostgreSQL: "
            "pip install 'ecolint[postgres]'"
        ) from error
    return engine


def _sqlite_engine(parsed: Any, create_engine: Any, event: Any) -> Engine:
    database = parsed.database
    if database and database != ":memory:":
        path = Path(database)
        if path.is_dir():
            raise HistoryError(f"history store {parsed}: {path} is a folder, not a SQLite file")
        make_folder(path.parent)
    engine = create_engine(parsed, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_S})

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # transactions are begun below, explicitly
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: safe against crashes
            cursor.execute("PRAGMA foreign_keys=ON")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        writing = conn.get_execution_options().get("ecolint_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")

    return engine


def ensure_schema(engine: Engine) -> None:
    from ecolint.history.schema import SCHEMA_HEAD

    with engine.connect() as conn:
        if _revision(conn) == SCHEMA_HEAD:
            return
    with engine.connect() as conn:
        conn.execution_options(ecolint_write=True)
        with conn.begin():
            if engine.dialect.name == "postgresql":
                from sqlalchemy import text

                conn.execute(
                    text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY}
                )
            current = _revision(conn)
            if current != SCHEMA_HEAD:
                _migrate(conn, current)


def _revision(conn: Connection) -> str | None:
    from sqlalchemy import inspect, text

    if not inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _migrate(conn: Connection, current: str | None) -> None:
    from alembic import command
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", "ecolint.history:migrations")
    config.attributes["connection"] = conn
    known = {script.revision for script in ScriptDirectory.from_config(config).walk_revisions()}
    if current is not None and current not in known:
        raise HistoryError(
            f"the history database is at schema revision {current!r}, newer than this ecolint "
            "knows: upgrade ecolint before recording"
        )
    command.upgrade(config, "head")


def reason(error: Exception) -> str:
    """The driver's own first line (e.g. 'connection refused', 'password authentication
    failed', 'file is not a database'), without SQLAlchemy's SQL echo and links."""
    original = getattr(error, "orig", None) or error
    lines = [line.strip() for line in str(original).splitlines() if line.strip()]
    text = lines[0] if lines else type(original).__name__
    lowered = text.lower()
    if "not a database" in lowered or "malformed" in lowered:
        text += " (the file is corrupt or not a SQLite database; nothing was written)"
    elif "connection refused" in lowered or "could not translate host" in lowered:
        text += " (is the database server running and reachable?)"
    elif "password authentication failed" in lowered:
        text += " (check the user and password in the URL or $ECOLINT_DATABASE_URL)"
    return text
