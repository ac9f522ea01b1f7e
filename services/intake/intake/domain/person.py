"""The person a case is about, as captured at registration (brief §2).

Values arrive already validated (see intake.validation); these classes only give them
names and types. `from_dict`/`to_dict` translate to and from plain JSON-safe dicts.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any, Mapping

ADULT_AGE = 18


class Sex(StrEnum):
    FEMALE = "female"
    MALE = "male"
    OTHER = "other"
    UNKNOWN = "unknown"


class MigratoryStatus(StrEnum):
    IRREGULAR = "irregular"
    REGULAR = "regular"
    ASYLUM_CLAIM_WITHDRAWN = "asylum_claim_withdrawn"
    ASYLUM_CLAIM_REFUSED = "asylum_claim_refused"
    STRANDED = "stranded"
    OTHER = "other"


class DocumentType(StrEnum):
    PASSPORT = "passport"
    NATIONAL_ID = "national_id"
    TRAVEL_DOCUMENT = "travel_document"
    OTHER = "other"


class ReferralSource(StrEnum):
    PARTNER_NGO = "partner_ngo"
    CONSULATE = "consulate"
    SELF = "self"
    OTHER = "other"


class Relationship(StrEnum):
    CHILD = "child"
    SPOUSE_OR_PARTNER = "spouse_or_partner"
    PARENT = "parent"
    SIBLING = "sibling"
    OTHER_RELATIVE = "other_relative"
    OTHER = "other"


def age_on(date_of_birth: date, day: date) -> int:
    """Age in whole years on `day`; someone born on 29 February ages on 1 March in
    common years."""
    had_birthday = (day.month, day.day) >= (date_of_birth.month, date_of_birth.day)
    return day.year - date_of_birth.year - (0 if had_birthday else 1)


def _as_date(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


@dataclass(frozen=True)
class IdentityDocument:
    type: DocumentType
    number: str
    issuing_country: str


@dataclass(frozen=True)
class Contact:
    phone: str | None = None
    email: str | None = None
    address: str | None = None


@dataclass(frozen=True)
class HouseholdMember:
    relationship: Relationship
    date_of_birth: date

    def is_minor_on(self, day: date) -> bool:
        return age_on(self.date_of_birth, day) < ADULT_AGE


@dataclass(frozen=True)
class Referral:
    source: ReferralSource
    details: str | None = None


@dataclass(frozen=True)
class Consent:
    """Consent to data processing: the purposes it covers and the channels the person
    agreed to be contacted on."""
    given: bool
    date: date
    scope: tuple[str, ...]
    channels: tuple[str, ...] = ()


@dataclass(frozen=True)
class PersonDetails:
    given_names: str
    family_names: str
    date_of_birth: date
    sex: Sex
    nationality: str
    languages: tuple[str, ...]
    migratory_status: MigratoryStatus
    return_country: str
    consent: Consent
    referral: Referral
    intends_to_apply_for_reintegration: bool
    return_city: str | None = None
    identity_document: IdentityDocument | None = None
    contact: Contact = Contact()
    household_members: tuple[HouseholdMember, ...] = ()

    def age_on(self, day: date) -> int:
        return age_on(self.date_of_birth, day)

    def minors_in_household(self, day: date) -> tuple[HouseholdMember, ...]:
        return tuple(m for m in self.household_members if m.is_minor_on(day))

    @classmethod
    def from_dict(cls, doc: Mapping[str, Any]) -> PersonDetails:
        """Build from a validated registration document (dates as date or ISO string)."""
        document = doc.get("identity_document")
        consent = doc["consent"]
        return cls(
            given_names=doc["given_names"],
            family_names=doc.get("family_names") or "",
            date_of_birth=_as_date(doc["date_of_birth"]),
            sex=Sex(doc["sex"]),
            nationality=doc["nationality"],
            languages=tuple(doc["languages"]),
            migratory_status=MigratoryStatus(doc["migratory_status"]),
            return_country=doc["return_country"],
            return_city=doc.get("return_city"),
            consent=Consent(consent["given"], _as_date(consent["date"]),
                            tuple(consent["scope"]), tuple(consent.get("channels", ()))),
            referral=Referral(ReferralSource(doc["referral_source"]),
                              doc.get("referral_details")),
            intends_to_apply_for_reintegration=doc["intends_to_apply_for_reintegration"],
            identity_document=IdentityDocument(
                DocumentType(document["type"]), document["number"],
                document["issuing_country"]) if document else None,
            contact=Contact(**doc.get("contact", {})),
            household_members=tuple(
                HouseholdMember(Relationship(m["relationship"]), _as_date(m["date_of_birth"]))
                for m in doc.get("household_members", ())),
        )

    def to_dict(self) -> dict[str, Any]:
        """The registration fields as JSON-safe values; the inverse of from_dict."""
        doc: dict[str, Any] = {
            "given_names": self.given_names,
            "family_names": self.family_names,
            "date_of_birth": self.date_of_birth.isoformat(),
            "sex": self.sex.value,
            "nationality": self.nationality,
            "languages": list(self.languages),
            "migratory_status": self.migratory_status.value,
            "return_country": self.return_country,
            "return_city": self.return_city,
            "consent": {"given": self.consent.given, "date": self.consent.date.isoformat(),
                        "scope": list(self.consent.scope),
                        "channels": list(self.consent.channels)},
            "referral_source": self.referral.source.value,
            "referral_details": self.referral.details,
            "intends_to_apply_for_reintegration": self.intends_to_apply_for_reintegration,
            "contact": {"phone": self.contact.phone, "email": self.contact.email,
                        "address": self.contact.address},
            "household_members": [
                {"relationship": m.relationship.value,
                 "date_of_birth": m.date_of_birth.isoformat()}
                for m in self.household_members],
        }
        if self.identity_document:
            doc["identity_document"] = {
                "type": self.identity_document.type.value,
                "number": self.identity_document.number,
                "issuing_country": self.identity_document.issuing_country}
        return doc
