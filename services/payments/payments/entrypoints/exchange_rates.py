"""Exchange rates: the ECB daily file and manual entry by finance.

A mixin of PaymentsService (entrypoints/service.py): it uses the service's `db`, `caller`
and `engine` dependencies.
"""
from nameko.rpc import rpc

from payments.entrypoints.dependencies import FromConfig
from payments.service_layer import exchange_rates


class ExchangeRateEntrypoints:
    # PAYOUT_CURRENCIES and EXCHANGE_RATES of the config, read once.
    payout_currencies = FromConfig(exchange_rates.PayoutCurrencySettings.from_config)

    @rpc
    def import_ecb_rates(self, csv_text: str) -> dict:
        with self.db.unit_of_work() as uow:
            answer = exchange_rates.import_ecb_file(uow, csv_text, self._actor_id())
            uow.commit()
        return answer

    @rpc
    def enter_exchange_rate(self, body: dict) -> dict:
        with self.db.unit_of_work() as uow:
            answer = exchange_rates.enter_rate(uow, body, self._actor_id())
            uow.commit()
        return answer

    @rpc
    def list_exchange_rates(self, currency: str | None = None, date: str | None = None) -> dict:
        with self.db.unit_of_work() as uow:
            return exchange_rates.list_rates(uow.session, currency, date)

    def _with_payout_terms(self, session, view: dict) -> dict:
        return exchange_rates.show_payout_terms(session, view, (self.caller or {}).get("role"))
