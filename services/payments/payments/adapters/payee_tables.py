"""Payees of a case besides the beneficiary: suppliers and trusted third parties.

The beneficiary is not stored here: they are the implicit payee of the case's payout method
(tables.payout_methods). One row per supplier or third party, with the invoice or quote a
supplier is paid against and the authorisation (and its approval or revocation) of a third
party. Names and account details are personal data: they stay in this table, never in events
or logs.
"""
import sqlalchemy as sa

from payments.adapters.tables import metadata

payees = sa.Table(
    "payees", metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("case_id", sa.String(36), nullable=False, index=True),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("name", sa.String(140), nullable=False),
    sa.Column("route", sa.String(32), nullable=False),  # bank_account or mobile_money
    sa.Column("details", sa.JSON, nullable=False),
    # Suppliers: the plan line paid for and the invoice or quote paid against.
    sa.Column("plan_line_id", sa.String(64), nullable=True),
    sa.Column("document_kind", sa.String(16), nullable=True),
    sa.Column("document_reference", sa.String(100), nullable=True),
    sa.Column("document_amount", sa.BigInteger, nullable=True),
    sa.Column("document_currency", sa.String(3), nullable=True),
    # Third parties: the beneficiary's signed authorisation, its approval and revocation.
    sa.Column("relationship", sa.String(32), nullable=True),
    sa.Column("authorised_on", sa.Date, nullable=True),
    sa.Column("signed_document_reference", sa.String(100), nullable=True),
    sa.Column("approved_by", sa.String(64), nullable=True),
    sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("revoked_by", sa.String(64), nullable=True),
    sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("revocation_reason", sa.String(500), nullable=True),
    sa.Column("recorded_by", sa.String(64), nullable=False),
    sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
)
