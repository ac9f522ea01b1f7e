"""The payout route port's contract, checked the same way for every route adapter."""
import pytest

from payments.service_layer.payout_route import FAILED, FAILURE_REASONS, PAID, SUBMITTED, RouteUnavailable


def final_report(harness, route, order, eventually):
    """Let the provider finish the order, then what fetch_status says once it is final."""
    harness.settle(order)
    return eventually(lambda: (lambda report: report if report.status != SUBMITTED else None)(
        route.fetch_status(order)), timeout=10)


def test_submitting_the_same_order_twice_moves_the_money_once(harness):
    route, order = harness.make_route(), harness.order()

    first = route.submit(order)
    second = route.submit(order)

    assert harness.moved(order) == 1
    assert first.provider_reference == second.provider_reference
    assert first.status in (SUBMITTED, PAID) and second.status in (SUBMITTED, PAID)


def test_a_restarted_adapter_treats_the_provider_already_having_the_order_as_success(harness):
    order = harness.order()
    first = harness.make_route().submit(order)

    again = harness.make_route().submit(order)

    assert again.status != FAILED
    assert again.provider_reference == first.provider_reference
    assert harness.moved(order) == 1


def test_fetch_status_finds_a_submitted_order_by_its_key(harness):
    route, order = harness.make_route(), harness.order()
    submitted = route.submit(order)

    fetched = route.fetch_status(order)

    assert fetched.provider_reference == submitted.provider_reference
    assert fetched.status in (SUBMITTED, PAID)


def test_fetch_status_of_an_order_the_provider_never_saw_is_a_lookup_error(harness):
    with pytest.raises(LookupError):
        harness.make_route().fetch_status(harness.order())


def test_an_order_the_provider_completes_is_reported_paid(harness, eventually):
    route, order = harness.make_route(), harness.order()
    route.submit(order)

    assert final_report(harness, route, order, eventually).status == PAID


def test_a_paid_order_never_goes_back_to_submitted(harness, eventually):
    route, order = harness.make_route(), harness.order()
    route.submit(order)
    final_report(harness, route, order, eventually)

    resubmitted = route.submit(order)
    fetched = route.fetch_status(order)

    assert (resubmitted.status, fetched.status) == (PAID, PAID)
    assert harness.moved(order) == 1


def test_a_provider_refusal_is_reported_failed_with_our_reason(harness, eventually):
    route = harness.make_route()
    order, expected_reason = harness.failing()

    submitted = route.submit(order)
    report = submitted if submitted.status == FAILED else final_report(harness, route, order, eventually)

    assert report.status == FAILED
    assert report.failure_reason == expected_reason
    assert report.failure_reason in FAILURE_REASONS


def test_a_provider_answering_5xx_is_route_unavailable_and_moves_nothing(harness):
    route, order = harness.make_route(), harness.order()
    harness.break_with_5xx()

    with pytest.raises(RouteUnavailable):
        route.submit(order)

    harness.heal()
    assert harness.moved(order) == 0


def test_a_provider_timing_out_is_route_unavailable_and_the_retry_moves_the_money_once(harness, until_answered):
    route, order = harness.make_route(), harness.order()
    route.account_holder_name(order.payee)  # the payee set up first, so the timeout strikes the money
    harness.break_with_timeout()

    with pytest.raises(RouteUnavailable):
        route.submit(order)
    report = until_answered(lambda: route.submit(order))

    assert report.status in (SUBMITTED, PAID)
    assert harness.moved(order) == 1

