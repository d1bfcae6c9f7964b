"""Ids: new ids are unique; an incident reference is dated, stable and redrawn with a salt."""

from datetime import UTC, datetime

from commander.core.ids import incident_ref, new_id

NOW = datetime(2026, 11, 28, 10, 30, tzinfo=UTC)


def test_incident_reference_is_dated_and_stable_and_redrawn_with_salt() -> None:
    incident_id = new_id()
    ref = incident_ref(incident_id, NOW)
    assert ref.startswith("INC-20261128-") and len(ref) == len("INC-20261128-") + 6
    assert incident_ref(incident_id, NOW) == ref
    assert incident_ref(incident_id, NOW, salt=1) != ref


def test_new_ids_are_distinct_version_7_uuids_in_time_order() -> None:
    import uuid

    ids = [new_id() for _ in range(50)]
    assert len(set(ids)) == 50
    assert {uuid.UUID(i).version for i in ids} == {7}
    assert ids == sorted(ids)


def test_the_reference_code_is_the_ids_low_bits_in_crockford_base32() -> None:
    day = datetime(2026, 11, 28, 23, 59, tzinfo=UTC)
    assert incident_ref("01890a5d-ac96-7000-8000-000000000000", day) == "INC-20261128-000000"
    # the lowest five bits are the first character; 31 is Z (Crockford has no I, L, O, U)
    assert incident_ref("01890a5d-ac96-7000-8000-00000000001f", day) == "INC-20261128-Z00000"
    assert incident_ref("01890a5d-ac96-7000-8000-000000000000", day, salt=1) == (
        "INC-20261128-N0ZMMZ"
    )
