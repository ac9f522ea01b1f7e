"""Notifications tells staff about a new case once, however often the event arrives."""


def test_a_registered_case_delivered_three_times_makes_one_staff_notice(
        call, publish_event, case_registered_event, eventually):
    for _ in range(3):
        publish_event(case_registered_event)

    eventually(lambda: call("staff_notices_for_case", "case-1"))
    assert call("staff_notices_for_case", "case-1") == ["case_registered"]
