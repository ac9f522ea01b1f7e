"""Exchange rates in the database and the terms fixed on payouts when a batch is released:
the ECB file imported once however often it is sent, manual rates as decimal text, the rate
of the release day (never older than the configured age) and a voucher's expiry."""
import datetime
import uuid

import pytest
import sqlalchemy as sa

from reintegra.contracts.errors import InvalidInput, RuleViolation
from reintegra.money import Money

from payments.adapters.exchange_rate_tables import exchange_rates as rates_table
from payments.adapters.tables import payout_batches, payouts
from payments.service_layer import batches, budget, exchange_rates, handlers, instalments, payout_method
from payments.service_layer.payout_runner import PayoutRunner, RunnerSettings

TODAY = datetime.datetime.now(datetime.timezone.utc).date()
SETTINGS = exchange_rates.PayoutCurrencySettings.from_config(
    {"PAYOUT_CURRENCIES": {"mobile_money": {"GM": "GMD"}, "cash_pickup": {"GM": "GMD"}}})
CASH = {"route": "cash_pickup", "details": {"given_name": "Awa", "family_name": "Jallow",
                                            "id_document_type": "passport",
                                            "id_document_number": "GM1234567"}}
WALLET = {"route": "mobile_money", "details": {"phone": "+2207000001", "operator": "afrimoney"}}
GUINEAN_WALLET = {"route": "mobile_money", "details": {"phone": "+224620000001", "operator": "orange"}}


def daily_file(day: datetime.date, usd="1.0523") -> str:
    return ("Date, USD, JPY, GBP, \n"
            f"{day.strftime('%d %B %Y')}, {usd}, 162.34, 0.8312, \n")


def historical_file(*days: datetime.date) -> str:
    return "Date,USD,JPY,CYP,\n" + "".join(f"{d.isoformat()},1.05,162.3,N/A,\n" for d in days)


@pytest.fixture
def prepared_batch(store):
    """A batch prepared by officer-a holding one due instalment per (country, method): EUR 750,
    half of each plan's EUR 1,500 (or of the matching `plan_totals`, in cents)."""
    def make(*payees: tuple[str, dict], voucher_expiry_days: int | None = 10,
             plan_totals: tuple[int, ...] = ()) -> str:
        programme_id = str(uuid.uuid4())
        expiry = {} if voucher_expiry_days is None else {"voucher_expiry_days": voucher_expiry_days}
        with store.unit_of_work() as uow:
            handlers.record_programme(uow, {
                "programme_id": programme_id, "currency": "EUR",
                "allowance_cap": {"amount": 200_000, "currency": "EUR"}, "instalment_split": [50, 50],
                "justification_threshold_percent": 80, **expiry,
                "funding_sources": [{"code": "EU", "budget": {"amount": 5_000_000, "currency": "EUR"}}]})
            for index, (country, method) in enumerate(payees):
                total = plan_totals[index] if plan_totals else 150_000
                case_id, plan_id = str(uuid.uuid4()), str(uuid.uuid4())
                handlers.record_case(uow, {"case_id": case_id, "programme_id": programme_id,
                                           "status": "registered", "return_country": country})
                payout_method.set_payout_method(uow, case_id, method, "caseworker-1")
                budget.reserve_budget(uow, f"plan:{plan_id}:v1:reserve", programme_id,
                                      f"plan:{plan_id}", Money(total, "EUR"))
                instalments.plan_approved(uow, {
                    "case_id": case_id, "plan_id": plan_id, "programme_id": programme_id,
                    "version": 1, "total": {"amount": total, "currency": "EUR"},
                    "reservation_id": f"plan:{plan_id}"})
                instalments.case_arrived(uow, {"case_id": case_id})
            batch = batches.prepare_batch(uow, {"programme_id": programme_id}, "officer-a", None,
                                          {"mobile_money", "cash_pickup"})
            uow.commit()
        return batch["id"]
    return make


def release(store, batch_id: str, settings=SETTINGS) -> None:
    """As the release RPC does it: the batch released and its payouts' terms fixed, together."""
    with store.unit_of_work() as uow:
        batches.release_batch(uow, batch_id, "officer-b", chunk_size=100)
        exchange_rates.fix_payout_terms(uow.session, batch_id, settings)
        uow.commit()


def enter(store, currency: str, rate: str, day: datetime.date) -> None:
    with store.unit_of_work() as uow:
        exchange_rates.enter_rate(uow, {"currency": currency, "rate": rate, "date": day.isoformat()},
                                  "finance-1")
        uow.commit()


def import_file(store, text: str) -> dict:
    with store.unit_of_work() as uow:
        answer = exchange_rates.import_ecb_file(uow, text, "finance-1")
        uow.commit()
    return answer


def payout_rows(store, batch_id: str) -> list:
    with store.unit_of_work() as uow:
        return uow.session.execute(sa.select(payouts).where(payouts.c.batch_id == batch_id)).all()


def test_the_daily_file_is_imported_with_counts_per_day_and_a_second_import_changes_nothing(store):
    first = import_file(store, daily_file(TODAY))
    again = import_file(store, daily_file(TODAY))

    assert first["days"] == [{"date": TODAY.isoformat(), "imported": 3, "updated": 0, "unchanged": 0}]
    assert again["imported"] == 0 and again["unchanged"] == 3
    with store.unit_of_work() as uow:
        assert uow.session.execute(sa.select(sa.func.count()).select_from(rates_table)).scalar() == 3


def test_the_historical_file_counts_each_day_and_skips_currencies_not_quoted(store):
    days = [TODAY - datetime.timedelta(days=n) for n in (1, 2)]

    answer = import_file(store, historical_file(*days))

    assert [(d["date"], d["imported"]) for d in answer["days"]] == [
        (days[1].isoformat(), 2), (days[0].isoformat(), 2)]


def test_a_corrected_file_replaces_the_rate_of_that_day(store):
    import_file(store, daily_file(TODAY, usd="1.0523"))

    answer = import_file(store, daily_file(TODAY, usd="1.0525"))

    assert (answer["updated"], answer["unchanged"]) == (1, 2)
    with store.unit_of_work() as uow:
        listed = exchange_rates.list_rates(uow.session, "USD")["rates"]
    assert [(r["rate"], r["source"]) for r in listed] == [("1.0525", "ECB")]


def test_a_file_that_is_not_the_ecb_format_is_refused_naming_the_body(store):
    with pytest.raises(InvalidInput) as refused:
        import_file(store, "currency,rate\nUSD,1.05\n")
    assert "csv" in refused.value.fields


@pytest.mark.parametrize("rate, reason", [(71.25, "string"), ("0", "positive"), ("-3", "positive"),
                                          ("7,1", "regex")])
def test_a_manual_rate_given_as_a_number_or_not_positive_is_refused_naming_the_rate(store, rate, reason):
    with pytest.raises(InvalidInput) as refused:
        with store.unit_of_work() as uow:
            exchange_rates.enter_rate(uow, {"currency": "GMD", "rate": rate,
                                            "date": TODAY.isoformat()}, "finance-1")
    assert list(refused.value.fields) == ["rate"]
    assert reason in " ".join(refused.value.fields["rate"])


def test_a_manual_rate_keeps_who_entered_it_its_date_and_note(store):
    with store.unit_of_work() as uow:
        exchange_rates.enter_rate(uow, {"currency": "GMD", "rate": " 71.25 ", "date": TODAY.isoformat(),
                                        "note": "Central Bank of The Gambia mid rate"}, "finance-1")
        uow.commit()
    with store.unit_of_work() as uow:
        listed = exchange_rates.list_rates(uow.session, "GMD", TODAY.isoformat())["rates"]

    assert listed == [{"currency": "GMD", "rate": "71.25", "date": TODAY.isoformat(),
                       "source": "manual", "entered_by": "finance-1",
                       "note": "Central Bank of The Gambia mid rate"}]


def test_a_released_payout_in_local_currency_gets_the_rate_of_the_release_day_rounded_half_even(
        store, prepared_batch):
    batch_id = prepared_batch(("GM", WALLET), ("GN", GUINEAN_WALLET))
    enter(store, "GMD", "71.2345", TODAY - datetime.timedelta(days=2))
    enter(store, "GMD", "71.25", TODAY - datetime.timedelta(days=1))
    enter(store, "GMD", "99", TODAY + datetime.timedelta(days=1))  # not known on release day

    release(store, batch_id)

    by_currency = {row.payout_currency: row for row in payout_rows(store, batch_id)}
    gambian = by_currency["GMD"]
    # EUR 750.00 × 71.25 = GMD 53,437.50
    assert (gambian.payout_amount, gambian.exchange_rate, gambian.rate_source) == (
        5_343_750, "71.25", "manual")
    assert gambian.rate_date == TODAY - datetime.timedelta(days=1)
    assert (gambian.amount, gambian.currency) == (75_000, "EUR")  # the ledger stays in EUR
    assert by_currency[None].exchange_rate is None  # Guinea is paid in the programme's EUR


def test_payouts_of_one_batch_in_one_currency_each_get_their_own_amount_converted(
        store, prepared_batch):
    # Terms are worked out once per amount, currency and route: two amounts, two results.
    batch_id = prepared_batch(("GM", WALLET), ("GM", WALLET), ("GM", WALLET),
                              plan_totals=(150_000, 100_000, 150_000))
    enter(store, "GMD", "71.25", TODAY)

    release(store, batch_id)

    fixed = sorted((row.amount, row.payout_amount, row.exchange_rate)
                   for row in payout_rows(store, batch_id))
    # EUR 500.00 × 71.25 = GMD 35,625.00; EUR 750.00 × 71.25 = GMD 53,437.50
    assert fixed == [(50_000, 3_562_500, "71.25"), (75_000, 5_343_750, "71.25"),
                     (75_000, 5_343_750, "71.25")]


def test_the_runner_sends_the_route_the_local_amount_fixed_at_release(store, prepared_batch):
    batch_id = prepared_batch(("GM", WALLET))
    enter(store, "GMD", "71.25", TODAY)
    release(store, batch_id)

    claimed = PayoutRunner(store, {}, RunnerSettings()).claim(
        [row.id for row in payout_rows(store, batch_id)])

    [(_payout, order)] = claimed
    assert order.amount == Money(5_343_750, "GMD")
    assert (order.programme_amount, order.exchange_rate) == (Money(75_000, "EUR"), "71.25")


def test_a_release_with_no_rate_for_a_payout_currency_is_refused_and_changes_nothing(
        store, prepared_batch):
    batch_id = prepared_batch(("GM", WALLET), ("GN", GUINEAN_WALLET))

    with pytest.raises(RuleViolation) as refused:
        release(store, batch_id)

    assert refused.value.fields == {"currency": ["GMD"]}
    assert refused.value.details["looked_for"]["to"] == TODAY.isoformat()
    with store.unit_of_work() as uow:
        batch = uow.session.execute(sa.select(payout_batches).where(payout_batches.c.id == batch_id)).one()
        chunks = uow.session.execute(sa.text(
            "SELECT count(*) FROM outbox WHERE event_type = 'payout_chunk_released'")).scalar()
    assert (batch.status, batch.released_by) == ("prepared", None)
    assert {(r.status, r.payout_currency) for r in payout_rows(store, batch_id)} == {("prepared", None)}
    assert chunks == 0


def test_a_rate_older_than_the_configured_age_is_not_used(store, prepared_batch):
    batch_id = prepared_batch(("GM", WALLET))
    enter(store, "GMD", "71.25", TODAY - datetime.timedelta(days=8))

    with pytest.raises(RuleViolation) as refused:
        release(store, batch_id)

    looked_for = refused.value.details["looked_for"]
    assert looked_for == {"from": (TODAY - datetime.timedelta(days=7)).isoformat(), "to": TODAY.isoformat()}


def test_a_manual_rate_wins_over_the_ecb_rate_of_the_same_day(store, prepared_batch):
    settings = exchange_rates.PayoutCurrencySettings.from_config(
        {"PAYOUT_CURRENCIES": {"mobile_money": {"GM": "USD"}}})
    batch_id = prepared_batch(("GM", WALLET))
    import_file(store, daily_file(TODAY, usd="1.0523"))
    enter(store, "USD", "1.06", TODAY)

    release(store, batch_id, settings)

    [row] = payout_rows(store, batch_id)
    assert (row.payout_amount, row.exchange_rate, row.rate_source) == (79_500, "1.06", "manual")


@pytest.mark.parametrize("setting, days", [(10, 10), (None, 30)])
def test_a_cash_voucher_expires_the_programme_setting_after_release_30_days_by_default(
        store, prepared_batch, setting, days):
    batch_id = prepared_batch(("GN", CASH), voucher_expiry_days=setting)

    release(store, batch_id)

    [row] = payout_rows(store, batch_id)
    with store.unit_of_work() as uow:
        released_at = uow.session.execute(sa.select(payout_batches.c.released_at).where(
            payout_batches.c.id == batch_id)).scalar()
    assert row.voucher_expires_at.replace(tzinfo=None) == (
        released_at.replace(tzinfo=None) + datetime.timedelta(days=days))
    assert row.payout_currency is None  # cash in Guinea is paid in EUR


def test_a_mobile_money_payout_gets_no_voucher_expiry(store, prepared_batch):
    batch_id = prepared_batch(("GN", GUINEAN_WALLET))

    release(store, batch_id)

    [row] = payout_rows(store, batch_id)
    assert (row.voucher_expires_at, row.payout_currency) == (None, None)
