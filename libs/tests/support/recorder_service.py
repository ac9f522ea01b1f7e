"""Two tiny services used to prove the backbone against a real broker.

`announcer` publishes `intake.case_registered` events through its outbox (it plays intake);
`recorder` consumes them and records each case once. When the file named by the config key
FAIL_FLAG_FILE exists, the recorder's handler fails (for the case ids the file lists, or for
every event if it is empty), so retries and dead letters can be shown.
"""
import os

import sqlalchemy as sa
from nameko.dependency_providers import Config
from nameko.rpc import rpc

from reintegra.messaging.dependencies import Database
from reintegra.messaging.handler import reliable_event_handler
from reintegra.messaging.tables import metadata as messaging_metadata

metadata = sa.MetaData()
received = sa.Table(
    "received", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("event_id", sa.String(36), nullable=False),
    sa.Column("case_id", sa.String(64), nullable=False),
)


def create_tables(url: str) -> None:
    engine = sa.create_engine(url)
    messaging_metadata.create_all(engine)
    metadata.create_all(engine)
    engine.dispose()


def case_registered(case_id: str) -> dict:
    return {"case_id": case_id, "programme_id": "p-1", "status": "registered",
            "return_country": "GN", "vulnerability_level": "none", "intends_to_apply": True,
            "registered_at": "2026-11-01T10:00:00+00:00"}


class Announcer:
    name = "intake"
    db = Database()

    @rpc
    def announce(self, case_ids: list) -> None:
        with self.db.unit_of_work() as uow:
            for case_id in case_ids:
                uow.publish("case_registered", case_registered(case_id))
            uow.commit()

    @rpc
    def announce_then_fail(self, case_id: str) -> None:
        with self.db.unit_of_work() as uow:
            uow.publish("case_registered", case_registered(case_id))
            raise RuntimeError("state change failed after the event was recorded")


class Recorder:
    name = "recorder"
    db = Database()
    config = Config()

    @reliable_event_handler("intake", "case_registered")
    def on_case_registered(self, event):
        flag = self.config.get("FAIL_FLAG_FILE")
        if flag and os.path.exists(flag):
            only = open(flag).read().split()  # case ids; an empty file fails every event
            if not only or event.data["case_id"] in only:
                raise RuntimeError("told to fail")
        self.db.handle_once(event, lambda uow, data: uow.session.execute(
            received.insert().values(event_id=event.event_id, case_id=data["case_id"])))


def received_case_ids(url: str) -> list[str]:
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        ids = [row.case_id for row in conn.execute(sa.select(received.c.case_id))]
    engine.dispose()
    return ids
