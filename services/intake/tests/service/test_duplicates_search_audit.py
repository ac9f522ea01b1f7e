"""Possible duplicates found through the key index and decided by a person; search by
name fragment, document and phone; the audit trail of creates, changes and sensitive reads."""
import pytest
import sqlalchemy as sa

from reintegra.contracts.errors import Forbidden, InvalidInput, NotFound


def test_a_second_registration_reports_the_first_as_a_possible_duplicate(call, a_person):
    first = call("caseworker", "register_case", a_person())
    second = call("caseworker", "register_case", a_person(
        given_names="Diallo", family_names="Améenah",  # swapped, accented, transliterated
        identity_document=None, contact={"phone": "+351 912 345 678"}))
    assert second["possible_duplicates"] == [
        {"case_id": first["id"], "reasons": ["same_phone", "same_name_dob_nationality"]}]
    shown = call("caseworker", "get_case", first["id"])["possible_duplicates"]
    assert [(d["case_id"], d["decision"]) for d in shown] == [(second["id"], None)]


def test_a_namesake_born_on_another_day_is_not_a_duplicate(call, a_person):
    call("caseworker", "register_case", a_person())
    namesake = call("caseworker", "register_case", a_person(
        date_of_birth="1991-02-03", identity_document=None, contact={}))
    assert namesake["possible_duplicates"] == []


def test_a_reviewer_links_the_same_person_and_never_merges(call, a_person):
    first = call("caseworker", "register_case", a_person())
    second = call("caseworker", "register_case", a_person(contact={}))
    decided = call("supervisor", "review_duplicate", second["id"], first["id"], "same_person")
    assert decided["decision"] == "same_person"
    for case_id, other in ((first["id"], second["id"]), (second["id"], first["id"])):
        case = call("supervisor", "get_case", case_id)
        assert case["linked_cases"] == [other] and case["status"] == "registered"


def test_a_reviewer_may_tell_two_people_apart(call, a_person):
    first = call("caseworker", "register_case", a_person())
    second = call("caseworker", "register_case", a_person(contact={}))
    call("caseworker", "review_duplicate", first["id"], second["id"], "different")
    case = call("caseworker", "get_case", first["id"])
    assert case["linked_cases"] == [] and case["possible_duplicates"][0]["decision"] == "different"


def test_only_flagged_pairs_can_be_reviewed(call, a_person):
    first = call("caseworker", "register_case", a_person())
    stranger = call("caseworker", "register_case", a_person(
        given_names="Oumar", identity_document=None, contact={}))
    with pytest.raises(NotFound):
        call("caseworker", "review_duplicate", first["id"], stranger["id"], "different")
    with pytest.raises(InvalidInput):
        call("caseworker", "review_duplicate", first["id"], stranger["id"], "merge")


@pytest.fixture
def three_cases(call, a_person):
    people = [a_person(given_names="Amina", identity_document=None, contact={}),
              a_person(given_names="Aminata", family_names="Camara", identity_document={
                  "type": "passport", "number": "GN-777 888", "issuing_country": "GN"},
                  contact={}),
              a_person(given_names="Oumar", family_names="Bah", identity_document=None,
                       contact={"phone": "+224622000111"}, return_country="SN")]
    return [call("caseworker", "register_case", p)["id"] for p in people]


@pytest.mark.parametrize("q, expected", [
    ("ami", [1, 0]), ("AMÍNA diallo", [0]), ("GN777888", [1]), ("+224 622 000 111", [2]),
    ("camara ami", [1])])
def test_search_finds_by_name_fragment_document_and_phone_newest_first(call, three_cases, q, expected):
    found = call("finance_officer", "search_cases", q=q)
    assert [item["id"] for item in found["items"]] == [three_cases[i] for i in expected]


def test_search_filters_and_pages_with_a_cursor(call, three_cases):
    first = call("caseworker", "search_cases", status="registered", limit=2)
    assert [i["id"] for i in first["items"]] == [three_cases[2], three_cases[1]]
    rest = call("caseworker", "search_cases", status="registered", limit=2, cursor=first["next_cursor"])
    assert [i["id"] for i in rest["items"]] == [three_cases[0]] and rest["next_cursor"] is None
    assert [i["id"] for i in call("caseworker", "search_cases", country="sn")["items"]] == [three_cases[2]]


def test_a_bad_search_names_its_fields(call):
    with pytest.raises(InvalidInput) as refused:
        call("caseworker", "search_cases", q="a", status="flying", limit=0, cursor="nonsense")
    assert set(refused.value.fields) == {"q", "status", "limit", "cursor"}


def test_sensitive_details_go_only_to_the_assigned_caseworker_and_supervisors(call, a_person):
    case_id = call("caseworker", "register_case", a_person(
        vulnerability_factors=["victim_of_trafficking", "homeless"]))["id"]
    for actor in ("caseworker", "supervisor"):
        case = call(actor, "get_case", case_id)
        assert case["protected"] and case["sensitive"] == {
            "vulnerability_factors": ["victim_of_trafficking"]}
    for actor in ("caseworker-2", "finance_officer", "auditor"):
        case = call(actor, "get_case", case_id)
        assert case["protected"] is True and "sensitive" not in case
        assert "trafficking" not in str(case) and case["vulnerability"]["factors"] == ["homeless"]


def test_a_caseworker_assigned_later_sees_the_sensitive_details(call, a_person):
    case_id = call("caseworker", "register_case", a_person(
        vulnerability_factors=["substance_dependence"]))["id"]
    with pytest.raises(Forbidden):
        call("caseworker", "assign_caseworker", case_id, "caseworker-2-id")
    call("supervisor", "assign_caseworker", case_id, "caseworker-2-id")
    assert "sensitive" in call("caseworker-2", "get_case", case_id)
    assert "sensitive" not in call("caseworker", "get_case", case_id)


def test_an_other_vulnerability_counts_once_a_supervisor_approves_it(call, a_person):
    case_id = call("caseworker", "register_case", a_person(
        vulnerability_factors=["other"], vulnerability_other_text="lost documents in a fire"))["id"]
    assert call("caseworker", "get_case", case_id)["vulnerability"]["level"] == "none"
    with pytest.raises(Forbidden):
        call("caseworker", "decide_other_vulnerability", case_id, "approve")
    decided = call("supervisor", "decide_other_vulnerability", case_id, "approve")
    assert decided["vulnerability_level"] == "low"


def test_the_audit_trail_records_creates_changes_and_sensitive_reads_without_plaintext(
        call, a_person, rows):
    case_id = call("caseworker", "register_case", a_person(
        vulnerability_factors=["physical_or_mental_illness"]))["id"]
    call("caseworker", "transition_case", case_id, {"to": "counselled"})
    call("supervisor", "get_case", case_id)
    call("finance_officer", "get_case", case_id)
    trail = call("auditor", "audit_trail", entity_id=case_id)["items"]
    assert [(e["action"], e["actor_id"]) for e in trail] == [
        ("case.sensitive_read", "supervisor-id"), ("case.transitioned", "caseworker-id"),
        ("case.registered", "caseworker-id")]
    assert trail[0]["fields"] == ["sensitive_vulnerability_factors"]
    assert (trail[1]["before"], trail[1]["after"]["status"]) == ({"status": "registered"}, "counselled")
    assert "illness" not in str(rows("SELECT * FROM audit_log"))


def test_the_audit_trail_is_for_auditors_and_pages_newest_first(call, a_person):
    for _ in range(3):
        call("caseworker", "register_case", a_person(identity_document=None, contact={}))
    with pytest.raises(Forbidden):
        call("supervisor", "audit_trail")
    first = call("auditor", "audit_trail", limit=2)
    rest = call("auditor", "audit_trail", limit=2, cursor=first["next_cursor"])
    ids = [e["id"] for e in first["items"] + rest["items"]]
    assert ids == sorted(ids, reverse=True) and len(ids) == 4  # programme + 3 cases


def test_the_audit_log_refuses_to_be_edited_and_its_chain_holds(call, a_person, intake_config):
    from intake.adapters.audit_log import chain_is_intact
    call("caseworker", "register_case", a_person())
    engine = sa.create_engine(intake_config["DATABASE_URL"])
    with pytest.raises(sa.exc.DatabaseError, match="append-only"):
        with engine.begin() as conn:
            conn.exec_driver_sql("UPDATE audit_log SET actor_id = 'someone-else'")
    with pytest.raises(sa.exc.DatabaseError, match="append-only"):
        with engine.begin() as conn:
            conn.exec_driver_sql("DELETE FROM audit_log")
    with engine.connect() as conn:
        assert chain_is_intact(conn)
    engine.dispose()
