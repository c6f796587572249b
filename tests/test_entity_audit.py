"""The entity audit's name folding and grouping (pure functions, no warehouse)."""

from __future__ import annotations

import io

import pytest

from flows.quality.entity_audit import (
    EntityAudit,
    fold_name,
    kept_apart,
    split_names,
    write_audit,
)


@pytest.mark.parametrize(
    ("name", "folded"),
    [
        ("Harbor Lantern Inc.", "harbor lantern"),
        ("HARBOR LANTERN", "harbor lantern"),
        ("Harbor-Lantern Co., Ltd.", "harborlantern"),
        ("Quillfeather's", "quillfeather"),
        ("Ames Brothers'", "ames brothers"),
        ("  Velden   Group  AG ", "velden group"),
        ("Inc.", "inc"),  # a suffix alone is kept: nothing would be left
    ],
)
def test_fold_name_drops_what_does_not_tell_entities_apart(name: str, folded: str) -> None:
    assert fold_name(name) == folded


def test_split_names_groups_ids_of_one_type_only() -> None:
    rows = [
        ("a1", "Harbor Lantern Inc.", "ORG"),
        ("a2", "Harbor Lantern", "ORG"),
        ("a3", "harbor lantern", "PERSON"),  # another type: not the same entity
        ("b1", "Velden", "GPE"),
        ("c1", "...", "ORG"),  # folds to nothing: never grouped
        ("c2", "!!", "ORG"),
    ]
    found = split_names(rows)
    assert [(s.entity_type, s.names, s.entity_ids) for s in found] == [
        ("ORG", ("Harbor Lantern", "Harbor Lantern Inc."), ("a1", "a2"))
    ]
    audit = EntityAudit(
        entities=len(rows),
        split_names=found,
        retired_ids={"re_resolved": 1, "archive_short_form": 2},
    )
    assert audit.merged_names_count == 2
    output = io.StringIO()
    write_audit(audit, output, show=0)
    text = output.getvalue()
    assert "merged-names count  2 ids in 1 group:" in text
    assert "... and 1 more groups" in text
    assert "ids retired into another entity  3 (archive_short_form 2, re_resolved 1)" in text


def test_companies_listed_as_distinct_are_shown_apart_and_not_counted() -> None:
    rows = [
        ("m1", "Quellmark & Co.", "ORG"),
        ("m2", "Quellmark KGaA", "ORG"),
        ("h1", "Harbor Lantern Inc.", "ORG"),
        ("h2", "Harbor Lantern", "ORG"),
    ]
    found = split_names(rows)
    apart = kept_apart(found, frozenset({"Quellmark KGaA"}))
    assert [s.names for s in apart] == [("Quellmark & Co.", "Quellmark KGaA")]
    # A listed name does not excuse a group in which two other names still split.
    rows.append(("m3", "Quellmark", "ORG"))
    assert kept_apart(split_names(rows), frozenset({"Quellmark KGaA"})) == []
    audit = EntityAudit(
        entities=4, split_names=[s for s in found if s not in apart], kept_apart=apart
    )
    assert audit.merged_names_count == 2
    output = io.StringIO()
    write_audit(audit, output)
    text = output.getvalue()
    assert "merged-names count  2 ids in 1 group:" in text
    assert "kept apart on purpose  2 ids in 1 group:" in text
    assert "Quellmark & Co. | Quellmark KGaA" in text
