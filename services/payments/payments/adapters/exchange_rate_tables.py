"""Exchange rates known to payments: the ECB's reference rates and those entered by finance."""
import sqlalchemy as sa

from payments.adapters.tables import metadata

# One rate per currency, day and source: an ECB rate and a manual one for the same day are
# both kept (the manual one applies). Rates are decimal text, exact on every database.
exchange_rates = sa.Table(
    "exchange_rates", metadata,
    sa.Column("currency", sa.String(3), primary_key=True),
    sa.Column("rate_date", sa.Date, primary_key=True),
    sa.Column("source", sa.String(16), primary_key=True),
    sa.Column("rate", sa.String(40), nullable=False),  # units of `currency` for one euro
    sa.Column("entered_by", sa.String(64), nullable=True),
    sa.Column("note", sa.String(500), nullable=True),
    sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
)
