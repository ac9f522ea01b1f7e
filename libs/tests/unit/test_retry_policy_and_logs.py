import json
import logging

from reintegra.logs import JsonFormatter
from reintegra.messaging.retry import PermanentError, RetryPolicy


def test_retries_back_off_exponentially_up_to_a_ceiling():
    policy = RetryPolicy(max_attempts=10, first_delay_ms=100, max_delay_ms=1000)
    assert [policy.delay_ms(n) for n in range(1, 6)] == [100, 200, 400, 800, 1000]


def test_the_policy_gives_up_after_the_last_attempt_or_at_once_for_permanent_errors():
    policy = RetryPolicy(max_attempts=3)
    assert not policy.gives_up(2, RuntimeError())
    assert policy.gives_up(3, RuntimeError())
    assert policy.gives_up(1, PermanentError())


def test_the_policy_reads_its_settings_from_service_config():
    assert RetryPolicy.from_config({"RETRY": {"max_attempts": "7"}}).max_attempts == 7
    assert RetryPolicy.from_config({}) == RetryPolicy()


def test_log_lines_are_json_objects_with_the_extra_ids():
    record = logging.LogRecord("intake", logging.INFO, __file__, 1, "case registered", (), None)
    record.case_id = "c-1"
    line = json.loads(JsonFormatter().format(record))
    assert line["msg"] == "case registered" and line["case_id"] == "c-1" and line["level"] == "info"
