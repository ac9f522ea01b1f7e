"""Bank payouts through Stripe Connect cross-border payouts.

Each payee gets one connected *recipient* account (custom, `service_agreement=recipient`,
manual payout schedule), found again by its `payee_id` metadata, with the payee's IBAN as
its external bank account. A payout is then a Transfer from the platform balance (our
idempotency key, `transfer_group` = payout id, metadata `payout_id`) followed by a payout
of exactly that amount from the connected account to the bank. The payout schedule is manual
so that one of our payouts is one Stripe payout, and its outcome is that payout's outcome.

Status: transfer made → submitted; Stripe payout paid → paid; payout failed or canceled,
or transfer reversed → failed with the failure code mapped to our reasons.
"""
from __future__ import annotations

import datetime
import time

from payments.service_layer.payout_route import (
    FAILED, PAID, SUBMITTED, Payee, PayoutOrder, PayoutRoute, ProviderReport,
)

from .stripe_gateway import (
    Account, EventReport, Payout, StripeGateway, StripeRefusal, Transfer, WebhookEvent, derived_key,
    reason_for,
)

PAYEE_KEY = "payee_id"
PAYOUT_KEY = "payout_id"


class StripeBankRoute(PayoutRoute):
    """Payee details: `iban`, optional `account_holder_name` (default: the payee's name),
    `country` (of residence; default: the IBAN's), `currency` (of the bank account; default:
    the payout's), `first_name`/`last_name` (default: split from the name), `date_of_birth`
    (YYYY-MM-DD, which Stripe requires of individuals) and `terms_accepted_at`/`terms_accepted_ip`
    (when the payee accepted Stripe's recipient agreement, recorded with the payout method)."""

    name = "bank_account"

    def __init__(self, gateway: StripeGateway, *, terms_acceptance_ip: str = "127.0.0.1"):
        self._gateway = gateway
        self._terms_ip = terms_acceptance_ip
        # payee id → connected account id: the metadata scan happens once per payee per process.
        self._accounts: dict[str, str] = {}

    def submit(self, order: PayoutOrder) -> ProviderReport:
        transfer = None
        try:
            account = self._recipient(order.payee, order.amount.currency)
            transfer = self._existing_transfer(order) or self._gateway.create_transfer(
                order.amount, account.id, order.payout_id,
                {PAYOUT_KEY: order.payout_id, PAYEE_KEY: order.payee.id, "reference": order.reference},
                order.idempotency_key, description=order.reference)
            payout = self._gateway.find_payout(transfer.destination, PAYOUT_KEY, order.payout_id) or \
                self._gateway.create_payout(
                    transfer.destination, transfer.amount, {PAYOUT_KEY: order.payout_id, "transfer": transfer.id},
                    derived_key(order.idempotency_key, "payout"), statement_descriptor=order.reference)
        except StripeRefusal as refused:
            if transfer is not None:
                # The money reached the recipient's Stripe balance but cannot leave it: take it
                # back, so a re-route never pays the same instalment twice.
                self._gateway.reverse_transfer(transfer.id, derived_key(order.idempotency_key, "reversal"))
            return ProviderReport(FAILED, transfer.id if transfer else None, refused.reason)
        return _report(transfer, payout)

    def fetch_status(self, order: PayoutOrder) -> ProviderReport:
        transfer = self._existing_transfer(order)
        if transfer is None:
            raise LookupError(f"Stripe has no transfer for payout {order.payout_id}")
        return _report(transfer, self._gateway.find_payout(transfer.destination, PAYOUT_KEY, order.payout_id))

    def account_holder_name(self, payee: Payee) -> str | None:
        """The holder name on the payee's Stripe bank account (set up here if need be)."""
        try:
            account = self._recipient(payee, payee.details.get("currency", "EUR"))
        except StripeRefusal:
            return None
        bank = _bank_for(account, _iban(payee), payee.details.get("currency", "EUR"))
        return bank.account_holder_name if bank else None

    @staticmethod
    def report_from_event(event: WebhookEvent) -> EventReport | None:
        """The report a verified `transfer.*` or `payout.*` event makes about one of our payouts."""
        obj = event.object
        payout_id = (obj.get("metadata") or {}).get(PAYOUT_KEY)
        if payout_id is None or obj.get("object") not in ("transfer", "payout"):
            return None
        if obj["object"] == "transfer":
            report = ProviderReport(FAILED, obj["id"], "provider_rejected") if obj.get("reversed") else \
                ProviderReport(SUBMITTED, obj["id"])
        else:
            report = _payout_report(obj["metadata"].get("transfer"), obj["status"], obj.get("failure_code"))
        return EventReport(event.id, payout_id, report)

    def _existing_transfer(self, order: PayoutOrder) -> Transfer | None:
        """Looked up first because Stripe forgets idempotency keys after 24 hours."""
        found = [transfer for transfer in self._gateway.transfers_in_group(order.payout_id)
                 if transfer.metadata.get(PAYOUT_KEY) == order.payout_id]
        return found[-1] if found else None

    def _recipient(self, payee: Payee, currency: str) -> Account:
        account_id = self._accounts.get(payee.id)
        account = self._gateway.retrieve_account(account_id) if account_id else \
            self._gateway.find_account(PAYEE_KEY, payee.id)
        if account is None:
            params = self._account_params(payee)
            account = self._gateway.create_account(params, derived_key("recipient", payee.id, repr(params)))
        self._accounts[payee.id] = account.id
        iban = _iban(payee)
        bank_currency = payee.details.get("currency", currency)
        if _bank_for(account, iban, bank_currency) is None:
            self._gateway.add_bank_account(account.id, {
                "country": iban[:2], "currency": bank_currency.lower(), "account_number": iban,
                "account_holder_name": payee.details.get("account_holder_name") or payee.name,
                "account_holder_type": "individual"}, derived_key("bank", payee.id, iban, bank_currency))
            account = self._gateway.retrieve_account(account.id)
        return account

    def _account_params(self, payee: Payee) -> dict:
        details = payee.details
        first, last = _names(payee)
        individual: dict = {"first_name": first, "last_name": last}
        if details.get("date_of_birth"):
            born = datetime.date.fromisoformat(details["date_of_birth"])
            individual["dob"] = {"day": born.day, "month": born.month, "year": born.year}
        return {
            "type": "custom", "country": details.get("country") or _iban(payee)[:2],
            "business_type": "individual", "capabilities": {"transfers": {"requested": True}},
            "individual": individual,
            "tos_acceptance": {"date": int(details.get("terms_accepted_at") or time.time()),
                               "ip": details.get("terms_accepted_ip") or self._terms_ip,
                               "service_agreement": "recipient"},
            "settings": {"payouts": {"schedule": {"interval": "manual"}}},
            "metadata": {PAYEE_KEY: payee.id},
        }


def _report(transfer: Transfer, payout: Payout | None) -> ProviderReport:
    if transfer.reversed:
        return ProviderReport(FAILED, transfer.id, "provider_rejected")
    if payout is None:
        return ProviderReport(SUBMITTED, transfer.id)
    return _payout_report(transfer.id, payout.status, payout.failure_code)


def _payout_report(transfer_id: str | None, status: str, failure_code: str | None) -> ProviderReport:
    if status == "paid":
        return ProviderReport(PAID, transfer_id)
    if status == "failed":
        return ProviderReport(FAILED, transfer_id, reason_for(failure_code))
    if status == "canceled":
        return ProviderReport(FAILED, transfer_id, "provider_rejected")
    return ProviderReport(SUBMITTED, transfer_id)


def _iban(payee: Payee) -> str:
    return "".join(payee.details["iban"].split()).upper()


def _bank_for(account: Account, iban: str, currency: str):
    return next((bank for bank in account.bank_accounts
                 if bank.last4 == iban[-4:] and bank.country == iban[:2] and bank.currency == currency.upper()),
                None)


def _names(payee: Payee) -> tuple[str, str]:
    if payee.details.get("first_name") and payee.details.get("last_name"):
        return payee.details["first_name"], payee.details["last_name"]
    # The payout method names the account's holder; the engine's payee name may be empty.
    words = (payee.details.get("account_holder_name") or payee.name).split()
    if not words:
        raise StripeRefusal("account_invalid", None, "a recipient account needs the holder's name")
    *given, family = words
    return " ".join(given) or family, family

