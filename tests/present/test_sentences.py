"""German sentences about every indicator of the catalogue: grammar, units, no codes."""

from __future__ import annotations

import re

import pytest

from bielefeld_integration.indicators.catalogue import load_catalogue
from bielefeld_integration.indicators.kinds import output_groups
from bielefeld_integration.present.format import display_unit
from bielefeld_integration.present.sentences import (
    SUBJECTS,
    change_sentence,
    subject,
    value_sentence,
)

CATALOGUE = load_catalogue()
CASES = [(ind.id, g) for ind in CATALOGUE.values() for g in output_groups(ind)]
#: Codes of the catalogue that must never reach a reader.
CODE_RE = re.compile(r"[a-z]+_[a-z]+|\b(auslaendisch|persoenlich|familiaer|drittstaat|sek1)\b")


def test_every_indicator_has_a_written_subject():
    assert set(SUBJECTS) == set(CATALOGUE)
    for ind_id, subj in SUBJECTS.items():
        assert subj.text.split()[0] in ("der", "die", "das"), ind_id


def _values_with_unit(sentence: str, unit: str) -> None:
    shown = display_unit(unit)
    numbers = re.findall(
        r"(-?[\d.]+(?:,\d+)?)( %| Prozentpunkten?| Personen| Person| je [^()]+?)?[ ,.(]", sentence
    )
    assert numbers, sentence
    if shown == "%":
        assert sentence.count(" %") >= 2, sentence
    elif shown == "Personen":
        assert sentence.count("Person") >= 2, sentence
    elif shown == "Prozentpunkte":
        assert "Prozentpunkten (" in sentence or "unverändert" in sentence, sentence


@pytest.mark.parametrize(("ind_id", "group"), CASES, ids=[f"{i}-{g}" for i, g in CASES])
def test_change_sentences_are_grammatical_with_units(ind_id: str, group: str) -> None:
    ind = CATALOGUE[ind_id]
    subj = subject(ind, group)
    up = change_sentence(ind, group, 15.5, 12.25, "2017", "2016")
    down = change_sentence(ind, group, 12.25, 15.5, "2017", "2016")
    same = change_sentence(ind, group, 15.5, 15.5, "2017", "2016")
    for text in (up, down, same):
        assert text[0].isupper() and text.endswith(".") and "  " not in text, text
        assert text.startswith(subj.text[0].upper() + subj.text[1:]), text
        assert not CODE_RE.search(text), text
        assert "(2017)" in text and "2016" in text
        _values_with_unit(text, ind.unit)
    verb_up, verb_down, verb_same = (
        ("stiegen", "sanken", "blieben")
        if subj.plural
        else (
            "stieg",
            "sank",
            "blieb",
        )
    )
    assert f" {verb_up} von " in up and f" {verb_down} von " in down, (up, down)
    assert f" {verb_same} mit " in same and "nahezu unverändert" in same
    if display_unit(ind.unit) in ("%", "Prozentpunkte"):
        assert up.endswith("also um 3,3 Prozentpunkte."), up
    stated = value_sentence(ind, group, "15,5 %", "2017")
    assert stated.endswith(" 2017 15,5 %.") and " betrug" in stated


def test_hand_written_examples():
    flu = CATALOGUE["FLU-01"]
    assert change_sentence(flu, "asylverfahren", 2900, 3230, "2017", "2016") == (
        "Die Zahl der Personen im Asylverfahren sank von 3.230 Personen (2016) auf "
        "2.900 Personen (2017), also um 330 Personen oder 10,2 %."
    )
    kita = CATALOGUE["KITA-01"]
    assert change_sentence(kita, "insgesamt", 18.3, 17.9, "2017", "2016") == (
        "Die Betreuungsquote der Kinder unter 3 Jahren stieg von 17,9 % (2016) auf "
        "18,3 % (2017), also um 0,4 Prozentpunkte."
    )
    assert change_sentence(kita, "mit", 18.3, 17.9, "2017", "2016").startswith(
        "Die Betreuungsquote der Kinder unter 3 Jahren (Kinder mit Migrationshintergrund) stieg"
    )
    gap = CATALOGUE["KITA-04"]
    assert change_sentence(gap, "mit-ohne", -5.0, -7.5, "2017", "2016") == (
        "Der Abstand der Betreuungsquoten unter 3 Jahren (mit zu ohne Migrationshintergrund) "
        "stieg von -7,5 Prozentpunkten (2016) auf -5,0 Prozentpunkte (2017), also um "
        "2,5 Prozentpunkte."
    )
    one = change_sentence(CATALOGUE["SPR-04"], "jugend", 1, 2, "2017", "2016")
    assert "auf 1 Person (2017)" in one and "um 1 Person oder 50,0 %" in one
