"""Database access: engine, sessions, schema migrations and the data version counter."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, inspect, select
from sqlalchemy.orm import Session, sessionmaker

from data.models import DataVersion

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def make_engine(url: str) -> Engine:
    """Create an engine for a SQLite file or a PostgreSQL URL.

    A ``sqlite:///path`` URL creates the folder of the file when it is missing.
    """
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    if url.startswith("sqlite:///") and not url.startswith("sqlite:///:memory:"):
        Path(url.removeprefix("sqlite:///")).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, future=True, pool_pre_ping=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _has_changes(session: Session) -> bool:
    if any(not isinstance(o, DataVersion) for o in session.new):
        return True
    if any(not isinstance(o, DataVersion) for o in session.deleted):
        return True
    return any(not isinstance(o, DataVersion) and session.is_modified(o) for o in session.dirty)


def _bump_version(session: Session, _flush_context, _instances) -> None:  # type: ignore[no-untyped-def]
    if not _has_changes(session):
        return
    bump_version(session)


def bump_version(session: Session) -> None:
    """Count one write in this transaction (for bulk writes that bypass the ORM's flush)."""
    if session.info.get("version_bumped"):
        return
    session.info["version_bumped"] = True
    row = session.get(DataVersion, 1)
    if row is None:
        row = DataVersion(id=1, version=0)
        session.add(row)
    row.version = (row.version or 0) + 1
    row.changed_at = dt.datetime.now(dt.UTC).replace(microsecond=0)


def _reset_bump(session: Session) -> None:
    session.info.pop("version_bumped", None)


class Database:
    """An engine plus its session factory; every write bumps the data version once per commit."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        event.listen(self.sessions, "before_flush", _bump_version)
        event.listen(self.sessions, "after_commit", _reset_bump)
        event.listen(self.sessions, "after_rollback", _reset_bump)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session in one transaction: committed on success, rolled back on any error."""
        with self.sessions() as session, session.begin():
            yield session

    def migrate(self) -> None:
        """Bring the schema to the newest Alembic revision."""
        from alembic import command
        from alembic.config import Config

        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
        with self.engine.begin() as connection:
            cfg.attributes["connection"] = connection
            command.upgrade(cfg, "head")

    def is_empty(self) -> bool:
        """True when the registry holds no organisations (or has no tables yet)."""
        if not inspect(self.engine).has_table("organisation"):
            return True
        from data.models import Organisation

        with self.sessions() as session:
            return session.scalar(select(Organisation.id).limit(1)) is None

    def version(self) -> int:
        """The current data version (0 for a new database).

        Asked on every request that uses a cache, so one plain query on a pooled
        connection, without an ORM session.
        """
        query = select(DataVersion.version).where(DataVersion.id == 1)
        with self.engine.connect() as connection:
            return connection.execute(query).scalar() or 0

    def dispose(self) -> None:
        self.engine.dispose()
