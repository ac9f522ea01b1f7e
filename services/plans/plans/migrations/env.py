from alembic import context

from reintegra.messaging.migrations import run_env

run_env(context)
