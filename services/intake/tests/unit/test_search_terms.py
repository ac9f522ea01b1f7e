from intake.domain.person import Contact
from intake.domain.search_terms import SearchQuery, parse_query, search_terms


def test_a_person_is_found_by_each_name_token_document_and_phone(make_person):
    assert search_terms(make_person(given_names="Ana Maria", family_names="Gonçalves")) == {
        "n:ana", "n:maria", "n:goncalves", "d:FZ123456", "p:+5562912345678"}


def test_a_person_without_document_or_phone_is_found_by_name_only(make_person):
    assert search_terms(make_person(identity_document=None, contact=Contact())) == {
        "n:ana", "n:silva"}


def test_a_query_with_a_plus_and_digits_is_a_phone_number():
    assert parse_query("+351 912-345 678") == SearchQuery(exact=("p:+351912345678",))


def test_a_query_with_digits_is_a_document_number():
    assert parse_query("fz 123.456") == SearchQuery(exact=("d:FZ123456",))


def test_a_name_query_becomes_normalised_prefixes_and_drops_single_letters():
    assert parse_query("  Gonç  A  Ma ") == SearchQuery(prefixes=("n:gonc", "n:ma"))


def test_an_empty_or_too_short_query_looks_nothing_up():
    assert parse_query("").is_empty and parse_query("a").is_empty
