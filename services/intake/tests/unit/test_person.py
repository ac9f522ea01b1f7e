from datetime import date

import pytest

from intake.domain.person import (HouseholdMember, PersonDetails, Relationship, age_on)


@pytest.mark.parametrize("birthday,on,age", [
    (date(2000, 6, 15), date(2024, 6, 15), 24),
    (date(2000, 6, 16), date(2024, 6, 15), 23),
    (date(2000, 2, 29), date(2023, 2, 28), 22),
    (date(2000, 2, 29), date(2023, 3, 1), 23),
    (date(2000, 2, 29), date(2024, 2, 29), 24),
])
def test_age_is_counted_in_whole_years(birthday, on, age):
    assert age_on(birthday, on) == age


def test_a_household_member_is_a_minor_until_their_18th_birthday():
    member = HouseholdMember(Relationship.CHILD, date(2006, 6, 16))
    assert member.is_minor_on(date(2024, 6, 15))
    assert not member.is_minor_on(date(2024, 6, 16))


def test_the_minors_of_a_household_are_derived_on_the_day(make_person):
    child = HouseholdMember(Relationship.CHILD, date(2015, 1, 1))
    spouse = HouseholdMember(Relationship.SPOUSE_OR_PARTNER, date(1988, 1, 1))
    person = make_person(household_members=(child, spouse))
    assert person.minors_in_household(date(2024, 6, 15)) == (child,)


def test_person_details_survive_a_round_trip_through_a_plain_dict(make_person):
    person = make_person(household_members=(
        HouseholdMember(Relationship.CHILD, date(2015, 1, 1)),))
    assert PersonDetails.from_dict(person.to_dict()) == person


def test_a_plain_dict_holds_only_json_values(make_person):
    doc = make_person().to_dict()
    assert doc["date_of_birth"] == "1990-05-17"
    assert doc["consent"]["date"] == "2024-06-01"
    assert doc["sex"] == "female"


def test_person_details_are_built_from_a_validated_registration(registration_payload):
    person = PersonDetails.from_dict(registration_payload)
    assert person.date_of_birth == date(1990, 5, 17)
    assert person.household_members[0].relationship is Relationship.CHILD
    assert person.identity_document.issuing_country == "BR"
    assert person.contact.email == "ana@example.org"


def test_a_person_without_document_or_family_name_can_be_built(registration_payload):
    del registration_payload["identity_document"]
    del registration_payload["family_names"]
    person = PersonDetails.from_dict(registration_payload)
    assert person.identity_document is None
    assert person.family_names == ""
