"""Provider calls a few at a time: every item called, answers in order, the limit kept."""
import eventlet
import pytest

from reintegra.concurrency import each_at_once


def counting_calls(seconds: float = 0.01):
    state = {"in_flight": 0, "most": 0, "called": []}

    def call(item):
        state["in_flight"] += 1
        state["most"] = max(state["most"], state["in_flight"])
        state["called"].append(item)
        eventlet.sleep(seconds * (1 + item % 3))  # answers come back out of order
        state["in_flight"] -= 1
        if item in state.get("failing", ()):
            raise ValueError(f"item {item}")
        return item * 10
    return call, state


def test_answers_come_in_the_items_order_with_no_more_calls_in_flight_than_allowed():
    call, state = counting_calls()
    assert each_at_once(call, range(10), 4) == [n * 10 for n in range(10)]
    assert state["most"] == 4


def test_one_at_a_time_calls_the_items_one_after_another():
    call, state = counting_calls()
    assert each_at_once(call, [3, 1, 2], 1) == [30, 10, 20]
    assert state["called"] == [3, 1, 2] and state["most"] == 1


def test_every_item_is_called_even_after_a_failure_and_the_first_failure_is_raised():
    call, state = counting_calls()
    state["failing"] = {2, 5}
    with pytest.raises(ValueError, match="item 2"):
        each_at_once(call, range(8), 3)
    assert sorted(state["called"]) == list(range(8))
