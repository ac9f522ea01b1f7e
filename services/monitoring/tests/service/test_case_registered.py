"""monitoring learns of new cases from intake's events, once each, on SQLite and PostgreSQL."""
from nameko.testing.services import entrypoint_hook


def test_a_registered_case_delivered_twice_is_recorded_once(
        service, publish_event, case_registered_event, events_handled, eventually):
    publish_event(case_registered_event)
    publish_event(case_registered_event)

    def recorded():
        with entrypoint_hook(service, "get_followed_case") as lookup:
            return lookup("case-1")
    found = eventually(recorded)
    assert found["case_id"] == "case-1" and found["programme_id"] == "p-1"
    assert events_handled(service.config["DATABASE_URL"]) == 1
