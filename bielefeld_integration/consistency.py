"""Checks across the files of one delivery: figures that must agree between offices.

A loader sees one file; some errors only show when two files are compared (a register
extract whose two parts disagree, more children in day care than live in a district).
:func:`check_delivery` runs every check on the tables of one period and returns the
problems as :class:`~bielefeld_integration.errors.DataError` objects naming both files.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import pandas as pd

from bielefeld_integration.errors import DataError
from bielefeld_integration.measures.links import check_register_links
from bielefeld_integration.tables import MINOR_AGE_GROUPS

Tables = Mapping[str, pd.DataFrame]
Files = Mapping[str, str]

#: Children in day care may exceed the resident children of a district only slightly
#: (children from neighbouring districts or municipalities, moves between 01.03. and 31.12.).
DAYCARE_TOLERANCE = 1.10
_DAYCARE_AGES = {"unter 3": ["00-02"], "3 bis unter 6": ["03-05"]}


def _register_parts_agree(tables: Tables, files: Files) -> list[DataError]:
    """The two register extracts give the same totals per Stadtbezirk and group."""
    if not {"population", "population_origin"} <= set(tables):
        return []
    pop = tables["population"].assign(
        minor=lambda d: d["age_group"].isin(MINOR_AGE_GROUPS).map({True: "ja", False: "nein"})
    )
    keys = ["stadtbezirk", "citizenship", "migration_background", "minor"]
    a = pop.groupby(keys)["count"].sum()
    b = tables["population_origin"].groupby(keys)["count"].sum()
    both = pd.concat([a.rename("a"), b.rename("b")], axis=1).fillna(0)
    bad = both[both["a"] != both["b"]]
    if bad.empty:
        return []
    key, row = next(iter(bad.iterrows()))
    where = ", ".join(f"{k}={v}" for k, v in zip(keys, key, strict=True))
    return [
        DataError(
            f"die Registerauszüge passen nicht zusammen ({len(bad)} Gruppen), z. B. {where}: "
            f"{int(row['a'])} in {files['population']}, {int(row['b'])} hier",
            file=files["population_origin"],
        )
    ]


def _daycare_within_population(tables: Tables, files: Files) -> list[DataError]:
    """No Stadtbezirk has clearly more children in day care than children of that age."""
    if not {"daycare", "population"} <= set(tables):
        return []
    care = tables["daycare"].groupby(["stadtbezirk", "age_group"])["count"].sum()
    pop = tables["population"]
    problems = []
    for (sb, age), n in care.items():
        residents = pop.loc[
            (pop["stadtbezirk"] == sb) & pop["age_group"].isin(_DAYCARE_AGES[age]), "count"
        ].sum()
        if n > DAYCARE_TOLERANCE * residents:
            problems.append(
                DataError(
                    f"Stadtbezirk {sb}, Kinder {age}: {n} in Betreuung, aber nur {residents} "
                    f"Kinder dieses Alters laut {files['population']}",
                    file=files["daycare"],
                )
            )
    return problems


CHECKS: list[Callable[[Tables, Files], list[DataError]]] = [
    _register_parts_agree,
    _daycare_within_population,
    check_register_links,
]


def check_delivery(tables: Tables, files: Files) -> list[DataError]:
    """Run every cross-file check; ``files`` maps each table to the path it came from."""
    problems: list[DataError] = []
    for check in CHECKS:
        problems.extend(check(tables, files))
    return problems
