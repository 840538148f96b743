"""One label per indicator value: readable, unique per indicator, no internal codes."""

from __future__ import annotations

import re

from bielefeld_integration.indicators.catalogue import load_catalogue
from bielefeld_integration.indicators.kinds import output_groups
from bielefeld_integration.present.labels import (
    breakdown_label,
    group_label,
    indicator_label,
    unit_label,
)

CATALOGUE = load_catalogue()
CODE_RE = re.compile(
    r"_|\b(auslaendisch|persoenlich|familiaer|drittstaat|sek[12]|primar|mit-ohne)\b"
)


def test_every_group_of_every_indicator_has_a_readable_unique_label():
    for ind in CATALOGUE.values():
        groups = output_groups(ind)
        labels = [indicator_label(ind, g) for g in groups]
        assert len(set(labels)) == len(labels), ind.id
        for g, label in zip(groups, labels, strict=True):
            assert label.startswith(ind.title), (ind.id, g, label)
            assert not CODE_RE.search(label), (ind.id, g, label)
            assert not CODE_RE.search(group_label(g, ind)), (ind.id, g)
        assert unit_label(ind) and "je 100 " not in unit_label(ind).replace("Plätze je 100", "")


def test_a_part_reads_as_a_part_and_a_group_as_a_group():
    flu = CATALOGUE["FLU-01"]
    assert indicator_label(flu, "asylverfahren") == (
        "Personen im Asylverfahren, im Folgeverfahren und mit Duldung, darunter: im Asylverfahren"
    )
    assert indicator_label(CATALOGUE["SPR-01"], "nichtdeutsch") == (
        "Sprachförderbedarf bei der Schuleingangsuntersuchung: "
        "Kinder mit nichtdeutscher Familiensprache"
    )
    assert indicator_label(CATALOGUE["SPR-01"], "insgesamt") == CATALOGUE["SPR-01"].title
    assert indicator_label(CATALOGUE["KITA-04"], "mit-ohne") == CATALOGUE["KITA-04"].title
    assert group_label("sonstige", CATALOGUE["FLU-05"]) == "sonstige Zugangswege"
    assert group_label("sonstige", CATALOGUE["SPR-03"]) == "sonstige Integrationskurse"
    assert unit_label(CATALOGUE["KITA-01"]) == "%"
    assert unit_label(CATALOGUE["KITA-05"]) == "Plätze je 100 Kinder"
    assert breakdown_label("sex", "w") == "weiblich"
