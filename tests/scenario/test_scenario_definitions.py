"""Definitions of the scenario model: rates, needs, household sizes."""

from __future__ import annotations

import re

from bielefeld_integration import scenario as sc
from bielefeld_integration.scenario.definitions import household_label


def test_every_share_is_capped_at_one() -> None:
    for spec in sc.RATE_SPECS.values():
        if spec.unit == "Anteil":
            assert spec.maximum == 1.0, spec.name


def test_labels_and_definitions_hold_no_identifiers() -> None:
    # what a reader sees (labels, definitions, units) has no names of the scenario files
    texts = [t for s in sc.RATE_SPECS.values() for t in (s.label, s.definition, s.unit)]
    texts += [t for n in sc.NEEDS.values() for t in (n.label, n.unit)]
    for text in texts:
        assert not re.search(r"\w_\w", text), text


def test_household_label() -> None:
    assert household_label("1") == "1 Person"
    assert household_label("5+") == "5 und mehr Personen"
    assert sc.NEEDS["wohnungen_5plus"].label == "Wohnungen für Haushalte mit 5 und mehr Personen"
