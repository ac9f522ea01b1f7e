"""The control API is for the machine the partner runs on, never for the network."""
from werkzeug.test import Client

from sandbox_partner.app import Partner
from sandbox_partner.settings import PartnerSettings


def test_the_control_api_refuses_callers_that_are_not_on_loopback(tmp_path):
    partner = Partner(PartnerSettings(), tmp_path)
    client = Client(partner.app)
    try:
        remote = client.post("/_control/reset", environ_base={"REMOTE_ADDR": "10.1.2.3"})
        local = client.get("/_control/health", environ_base={"REMOTE_ADDR": "127.0.0.1"})
    finally:
        partner.store.close()

    assert (remote.status_code, remote.json["code"]) == (403, "NOT_ALLOWED")
    assert local.status_code == 200
