"""Apply a service's Alembic migrations (used by the run/test commands and service tests)."""
from __future__ import annotations

from alembic import command
from alembic.config import Config


def alembic_config(package: str, url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", f"{package}:migrations")
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(package: str, url: str) -> None:
    command.upgrade(alembic_config(package, url), "head")


def run_env(context, target_metadata=None) -> None:
    """The body of every service's migrations/env.py."""
    import sqlalchemy as sa
    url = context.config.get_main_option("sqlalchemy.url")
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        context.configure(connection=connection, target_metadata=target_metadata,
                          render_as_batch=url.startswith("sqlite"))
        context.run_migrations()
    engine.dispose()


if __name__ == "__main__":
    import sys
    # python -m reintegra.messaging.migrations <service package> <database url>
    upgrade(sys.argv[1], sys.argv[2])
