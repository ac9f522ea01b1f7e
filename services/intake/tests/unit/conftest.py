import copy
from dataclasses import replace
from datetime import date, datetime, timezone

import pytest

from intake.domain.person import (Consent, Contact, IdentityDocument, DocumentType,
                                  MigratoryStatus, PersonDetails, Referral, ReferralSource,
                                  Sex)

TODAY = date(2024, 6, 15)
NOW = datetime(2024, 6, 15, 10, 30, tzinfo=timezone.utc)


@pytest.fixture
def today() -> date:
    return TODAY


@pytest.fixture
def now() -> datetime:
    return NOW


@pytest.fixture
def make_person():
    """A Brazilian adult with a passport and a phone; override any field by keyword."""
    base = PersonDetails(
        given_names="Ana", family_names="Silva", date_of_birth=date(1990, 5, 17),
        sex=Sex.FEMALE, nationality="BR", languages=("pt",),
        migratory_status=MigratoryStatus.IRREGULAR, return_country="BR",
        return_city="Goiânia",
        consent=Consent(True, date(2024, 6, 1), ("case_management",), ("sms",)),
        referral=Referral(ReferralSource.SELF),
        intends_to_apply_for_reintegration=True,
        identity_document=IdentityDocument(DocumentType.PASSPORT, "FZ123456", "BR"),
        contact=Contact(phone="+5562912345678"))

    def make(**overrides) -> PersonDetails:
        return replace(base, **overrides)
    return make


_VALID_REGISTRATION = {
    "programme_id": "arvore-ix",
    "given_names": "Ana Maria",
    "family_names": "Silva",
    "date_of_birth": "1990-05-17",
    "sex": "female",
    "nationality": "BR",
    "identity_document": {"type": "passport", "number": "FZ123456", "issuing_country": "BR"},
    "languages": ["pt", "en"],
    "contact": {"phone": "+5562912345678", "email": "ana@example.org",
                "address": "Rua das Flores 12, Lisboa"},
    "migratory_status": "irregular",
    "return_country": "BR",
    "return_city": "Goiânia",
    "household_members": [{"relationship": "child", "date_of_birth": "2016-02-10"}],
    "referral_source": "partner_ngo",
    "referral_details": "Associação Solidária, Lisboa",
    "consent": {"given": True, "date": "2024-06-01",
                "scope": ["case_management", "return_travel"], "channels": ["sms", "email"]},
    "intends_to_apply_for_reintegration": True,
    "vulnerability_factors": ["single_parent_or_head_of_household_with_children_under_18"],
}


@pytest.fixture
def registration_payload() -> dict:
    """A complete, valid registration body as JSON would deliver it (a fresh copy)."""
    return copy.deepcopy(_VALID_REGISTRATION)
