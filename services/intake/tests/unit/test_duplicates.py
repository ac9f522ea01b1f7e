from datetime import date

import pytest

from intake.domain.duplicates import (blocking_keys, match_reasons, normalise_document_number,
                                      normalise_phone, reasons_for_shared_keys)
from intake.domain.person import Contact, DocumentType, IdentityDocument


def _no_document_no_phone(make_person, **overrides):
    return make_person(**({"identity_document": None, "contact": Contact()} | overrides))


def test_a_person_has_a_document_a_phone_and_a_name_key(make_person):
    keys = blocking_keys(make_person())
    assert keys == {"doc:BR:FZ123456", "phone:+5562912345678",
                    "name:AnA sIlvA|1990-05-17|BR"}


def test_a_person_without_document_or_phone_has_only_name_keys(make_person):
    keys = blocking_keys(_no_document_no_phone(make_person))
    assert all(key.startswith("name:") for key in keys)


def test_the_same_document_is_a_match_however_it_was_typed(make_person):
    first = make_person()
    second = _no_document_no_phone(make_person, given_names="Joana", identity_document=(
        IdentityDocument(DocumentType.TRAVEL_DOCUMENT, "fz 123-456", "BR")))
    assert match_reasons(second, first) == ["same_document"]


def test_the_same_number_from_another_country_is_a_different_document(make_person):
    first = _no_document_no_phone(make_person, given_names="Joana", identity_document=(
        IdentityDocument(DocumentType.PASSPORT, "FZ123456", "AO")))
    assert match_reasons(first, make_person()) == []


def test_the_same_phone_is_a_match(make_person):
    first = make_person()
    second = make_person(given_names="Joana", identity_document=None,
                         contact=Contact(phone="+55 62 91234-5678"))
    assert match_reasons(second, first) == ["same_phone"]


def test_the_same_name_birth_date_and_nationality_is_a_match(make_person):
    first = _no_document_no_phone(make_person)
    second = _no_document_no_phone(make_person, given_names="ANNA", family_names="Sílva")
    assert match_reasons(second, first) == ["same_name_dob_nationality"]


def test_swapped_given_and_family_names_still_match(make_person):
    first = _no_document_no_phone(make_person, given_names="Mohammed", family_names="Hussein")
    second = _no_document_no_phone(make_person, given_names="Husain", family_names="Muhammad")
    assert match_reasons(second, first) == ["same_name_dob_nationality"]


def test_a_shortened_name_still_matches(make_person):
    first = _no_document_no_phone(make_person, given_names="Maria José",
                                  family_names="da Silva Santos")
    second = _no_document_no_phone(make_person, given_names="Maria", family_names="Santos")
    assert match_reasons(second, first) == ["same_name_dob_nationality"]


def test_all_reasons_are_given_strongest_first(make_person):
    assert match_reasons(make_person(), make_person()) == [
        "same_document", "same_phone", "same_name_dob_nationality"]


@pytest.mark.parametrize("difference", [
    {"family_names": "Silveira"},
    {"date_of_birth": date(1990, 5, 18)},
    {"nationality": "PT"},
    {"given_names": "Ana Maria", "family_names": "Costa"},
])
def test_different_people_are_kept_apart(make_person, difference):
    first = _no_document_no_phone(make_person)
    second = _no_document_no_phone(make_person, **difference)
    assert match_reasons(second, first) == []


def test_twins_with_similar_names_are_kept_apart(make_person):
    maria = _no_document_no_phone(make_person, given_names="Maria", sex="female")
    mario = _no_document_no_phone(make_person, given_names="Mario", sex="male")
    assert match_reasons(mario, maria) == []


def test_shared_keys_explain_a_match_without_the_other_person():
    assert reasons_for_shared_keys({"name:x|1990-01-01|BR", "phone:+351912345678"}) == [
        "same_phone", "same_name_dob_nationality"]
    assert reasons_for_shared_keys(set()) == []


def test_document_numbers_keep_only_letters_and_digits_in_capitals():
    assert normalise_document_number(" ab-12.34/5 ") == "AB12345"


def test_phone_numbers_lose_their_separators():
    assert normalise_phone("+351 (91) 234-56.78") == "+351912345678"


def test_a_document_number_of_only_separators_gives_no_key(make_person):
    person = make_person(identity_document=IdentityDocument(DocumentType.OTHER, "--", "BR"))
    assert not any(key.startswith("doc:") for key in blocking_keys(person))


def test_a_name_without_letters_gives_no_name_key(make_person):
    person = make_person(given_names="--", family_names="")
    assert not any(key.startswith("name:") for key in blocking_keys(person))


def test_a_person_has_few_keys_even_with_a_long_name(make_person):
    person = make_person(given_names="Maria José Antónia",
                         family_names="da Silva Pereira Santos")
    assert len(blocking_keys(person)) <= 5
