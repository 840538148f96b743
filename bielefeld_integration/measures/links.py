"""Links between the measures register and the indicator catalogue.

The register names indicator ids (``Indikatoren``); whether they exist, which Handlungsfeld
the catalogue gives them and what they are called is known only to the catalogue. This
module sits above both: it imports the register's vocabulary and the catalogue, while the
register's schema, reader and summaries stay free of the indicator layer (so that
:mod:`bielefeld_integration.tables` can register the table ``measures`` without importing
the catalogue, which itself validates against the tables).

:func:`check_register_links` is the cross-check that ingest runs on every delivery
(:mod:`bielefeld_integration.consistency`): a register that names an id the catalogue does
not know is refused, naming the measure.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from bielefeld_integration.errors import DataError
from bielefeld_integration.indicators.catalogue import load_catalogue
from bielefeld_integration.measures.vocabulary import CATALOGUE_FIELD_CODES, split_list


def catalogue_ids() -> set[str]:
    """The indicator ids of the catalogue.

    Returns
    -------
    set of str
        The ids of ``indicators/catalogue.yaml`` as loaded (and validated) by
        :func:`bielefeld_integration.indicators.catalogue.load_catalogue`.

    Raises
    ------
    DataError
        If the catalogue is invalid.
    """
    return set(load_catalogue())


def catalogue_fields() -> dict[str, str]:
    """Indicator id -> its Handlungsfeld, for :func:`~bielefeld_integration.measures.gaps.gaps`.

    The six fields of the concept are given in the spelling of the register's ``FIELDS``
    (so that ``gaps`` can list the catalogue's indicators per field); other catalogue fields
    (e.g. the cross-cutting demography) keep the catalogue's label.
    """
    cat = load_catalogue()
    labels = cat.handlungsfelder
    return {
        ident: CATALOGUE_FIELD_CODES.get(
            ind.handlungsfeld, labels.get(ind.handlungsfeld, ind.handlungsfeld)
        )
        for ident, ind in cat.items()
    }


def indicator_titles() -> dict[str, str]:
    """Indicator id -> its German title in the catalogue."""
    return {ident: ind.title for ident, ind in load_catalogue().items()}


def unknown_indicators(reg: pd.DataFrame, known: set[str] | None = None) -> pd.DataFrame:
    """The indicator ids a register names that the catalogue does not know.

    Parameters
    ----------
    reg : pandas.DataFrame
        A register.
    known : set of str, optional
        The catalogue's ids; default :func:`catalogue_ids`.

    Returns
    -------
    pandas.DataFrame
        ``measure_id``, ``indicator``: one row per measure and unknown id, register order.
    """
    known = catalogue_ids() if known is None else known
    rows = [
        {"measure_id": str(ident), "indicator": i}
        for ident, ids in zip(reg["measure_id"], reg["indicators"], strict=True)
        for i in split_list(ids)
        if i not in known
    ]
    return pd.DataFrame(rows, columns=["measure_id", "indicator"])


def check_register_links(
    tables: Mapping[str, pd.DataFrame], files: Mapping[str, str]
) -> list[DataError]:
    """Ingest check: every indicator id in the register of a delivery is in the catalogue.

    Parameters
    ----------
    tables : mapping
        The loaded tables of one delivery by name (the register is ``"measures"``).
    files : mapping
        Table name -> the file it came from.

    Returns
    -------
    list of DataError
        One per measure and unknown id (column ``Indikatoren``); empty if the delivery has
        no register or every id is known.
    """
    if "measures" not in tables:
        return []
    unknown = unknown_indicators(tables["measures"])
    return [
        DataError(
            f"Maßnahme {rec.measure_id}: unbekannte Indikator-ID {rec.indicator!r} "
            "(nicht im Indikatorenkatalog)",
            file=files.get("measures"),
            column="Indikatoren",
        )
        for rec in unknown.itertuples(index=False)
    ]


__all__ = [
    "catalogue_fields",
    "catalogue_ids",
    "check_register_links",
    "indicator_titles",
    "unknown_indicators",
]
