"""Pure indicator formulas: shares, rates, gaps, ratios, segregation, change, targets.

Every function is vectorised: it accepts Python or numpy scalars, numpy arrays (or lists)
and pandas Series/DataFrames, and returns the same kind of thing (a Python ``float`` for
scalar input, an ``ndarray`` for array-like input, a Series/DataFrame for pandas input;
pandas inputs are aligned on their index as usual). The exceptions are
:func:`dissimilarity`, which aggregates over areas and always returns one ``float``, and
:func:`index_to_base`, which needs a labelled Series or DataFrame.

Division by zero never raises and never gives ``inf``: the result is ``NaN``, which the
presentation layer shows as "not available" or, with a small denominator, as ``/``.
Missing inputs (``NaN``, ``None``, ``pd.NA``) give ``NaN``.

The formulas follow the definitions collected for the Länder integration monitoring
(``reference/indicators-research.md``, section 6).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeAlias

import numpy as np
import pandas as pd

from bielefeld_integration.errors import DataError

#: What the formulas accept: a scalar, an array-like or a pandas object.
ArrayLike: TypeAlias = float | int | Sequence[float] | np.ndarray | pd.Series | pd.DataFrame

__all__ = [
    "change_pp",
    "change_relative",
    "dissimilarity",
    "gap_pp",
    "index_to_base",
    "location_quotient",
    "rate",
    "ratio",
    "representation_index",
    "share",
    "target_attainment",
]


# --------------------------------------------------------------------------- helpers


def _as_float(x: ArrayLike) -> Any:
    """Convert input to float64 (pandas objects keep their index, scalars become 0-d arrays)."""
    if isinstance(x, (pd.Series, pd.DataFrame)):
        return x.astype("float64")
    if x is None or x is pd.NA:
        return np.asarray(np.nan, dtype="float64")
    return np.asarray(x, dtype="float64")


def _out(result: Any) -> Any:
    """Return a Python float for 0-d results, everything else unchanged."""
    if isinstance(result, np.ndarray) and result.ndim == 0:
        return float(result)
    if isinstance(result, np.generic):
        return float(result)
    return result


def _no_inf(result: Any) -> Any:
    """Replace +/-inf by NaN."""
    if isinstance(result, (pd.Series, pd.DataFrame)):
        return result.mask(np.isinf(result))
    return np.where(np.isinf(result), np.nan, result)


def _divide(numerator: Any, denominator: Any) -> Any:
    """``numerator / denominator`` with NaN (never inf, never an exception) for x / 0."""
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        quotient = numerator / denominator
    return _no_inf(quotient)


# --------------------------------------------------------------------------- formulas


def share(part: ArrayLike, total: ArrayLike, multiplier: float = 100) -> Any:
    """Share of a part in a total (Anteil), in percent by default.

    .. math:: \\text{share} = \\frac{\\text{part}}{\\text{total}} \\cdot m

    Parameters
    ----------
    part : scalar, array-like or pandas object
        Count of the sub-population (e.g. foreigners).
    total : scalar, array-like or pandas object
        Count of the whole population the part belongs to.
    multiplier : float, default 100
        100 for percent.

    Returns
    -------
    float, ndarray or pandas object
        Same shape as the input; NaN where ``total`` is 0 or an input is missing.

    Examples
    --------
    >>> share(25, 200)
    12.5
    >>> share([1, 0], [4, 0]).tolist()
    [25.0, nan]
    """
    return _out(_divide(_as_float(part) * multiplier, _as_float(total)))


def rate(numerator: ArrayLike, denominator: ArrayLike, multiplier: float = 1000) -> Any:
    """Rate per 1,000 (or per ``multiplier``) of a reference population (Quote, Rate).

    .. math:: \\text{rate} = \\frac{\\text{numerator}}{\\text{denominator}} \\cdot m

    Parameters
    ----------
    numerator : scalar, array-like or pandas object
        Events or stock (e.g. naturalisations in the year).
    denominator : scalar, array-like or pandas object
        Reference population (e.g. foreigners at 31.12. of the previous year).
    multiplier : float, default 1000
        1000 for "je 1.000", 100 for "je 100" / percent.

    Returns
    -------
    float, ndarray or pandas object
        Same shape as the input; NaN where the denominator is 0 or an input is missing.

    Examples
    --------
    >>> rate(37, 18_500)
    2.0
    >>> rate(3, 0)
    nan
    """
    return _out(_divide(_as_float(numerator) * multiplier, _as_float(denominator)))


def gap_pp(value_a: ArrayLike, value_b: ArrayLike) -> Any:
    """Gap between two shares or rates in percentage points (Abstand).

    .. math:: \\text{gap} = a - b

    By convention ``a`` is the group of interest (e.g. foreigners) and ``b`` the reference
    group (e.g. Germans), so a positive gap means the group's value is higher.

    Parameters
    ----------
    value_a, value_b : scalar, array-like or pandas object
        Two values in percent.

    Returns
    -------
    float, ndarray or pandas object
        ``a - b`` in percentage points; NaN where an input is missing.

    Examples
    --------
    >>> gap_pp(12.5, 7.0)
    5.5
    >>> gap_pp([10, 20], [15, 5]).tolist()
    [-5.0, 15.0]
    """
    return _out(_as_float(value_a) - _as_float(value_b))


def ratio(a: ArrayLike, b: ArrayLike) -> Any:
    """Ratio of two values (Relation), e.g. unemployment rate foreigners / Germans.

    .. math:: \\text{ratio} = \\frac{a}{b}

    Parameters
    ----------
    a, b : scalar, array-like or pandas object
        Numerator and denominator of the ratio (usually two rates).

    Returns
    -------
    float, ndarray or pandas object
        ``a / b``; 1 means equal values, NaN where ``b`` is 0 or an input is missing.

    Examples
    --------
    >>> ratio(15.0, 6.0)
    2.5
    >>> ratio(1, 0)
    nan
    """
    return _out(_divide(_as_float(a), _as_float(b)))


def representation_index(share_in_group: ArrayLike, share_in_reference: ArrayLike) -> Any:
    """Representation index: 100 = proportional representation.

    .. math:: RI = 100 \\cdot \\frac{s_{\\text{group}}}{s_{\\text{reference}}}

    E.g. the share of staff with migration background in the city administration compared
    with that share in the population aged 18 to under 65.

    Parameters
    ----------
    share_in_group : scalar, array-like or pandas object
        Share of the group among the target population (e.g. city staff), in percent.
    share_in_reference : scalar, array-like or pandas object
        Share of the group in the reference population, in percent.

    Returns
    -------
    float, ndarray or pandas object
        Below 100: under-represented, above 100: over-represented; NaN where the reference
        share is 0 or an input is missing.

    Examples
    --------
    >>> representation_index(12.0, 30.0)
    40.0
    """
    return _out(_divide(_as_float(share_in_group) * 100, _as_float(share_in_reference)))


def dissimilarity(x: ArrayLike, y: ArrayLike) -> float:
    """Duncan's index of dissimilarity between two groups over areas.

    .. math:: D = \\tfrac12 \\sum_i \\left| \\frac{x_i}{X} - \\frac{y_i}{Y} \\right|,
              \\quad X = \\sum_i x_i,\\; Y = \\sum_i y_i

    ``D`` is the share of one group that would have to move to another area for both
    groups to be distributed alike: 0 = identical distributions, 1 = completely separated.
    With ``y = total - x`` it is the segregation index of group ``x``. The value depends
    on the size and number of the areas (use the same area level for comparisons).

    Parameters
    ----------
    x, y : array-like or pandas Series
        Counts of the two groups per area (e.g. foreigners and Germans per Statistischer
        Bezirk), same length. Two Series must have the same areas in their index; they are
        matched by label, not by position.

    Returns
    -------
    float
        D in [0, 1] (multiply by 100 for the "points" used in some reports); NaN if
        ``X`` or ``Y`` is 0 or a count is missing.

    Raises
    ------
    DataError
        If lengths or areas differ, or a count is negative.

    Examples
    --------
    >>> dissimilarity([10, 30], [30, 10])
    0.5
    >>> dissimilarity([5, 0], [0, 7])
    1.0
    """
    xs, ys = _as_float(x), _as_float(y)
    if isinstance(xs, pd.Series) and isinstance(ys, pd.Series):
        if not xs.index.is_unique or not ys.index.is_unique:
            raise DataError("Dissimilaritätsindex: Gebiete im Index sind nicht eindeutig")
        if set(xs.index) != set(ys.index):
            missing = sorted(map(str, set(xs.index) ^ set(ys.index)))
            raise DataError(
                "Dissimilaritätsindex: beide Gruppen brauchen dieselben Gebiete; "
                f"nur in einer Gruppe: {', '.join(missing)}"
            )
        ys = ys.reindex(xs.index)
    xa, ya = np.asarray(xs, dtype="float64"), np.asarray(ys, dtype="float64")
    if xa.ndim != 1 or ya.ndim != 1 or xa.shape != ya.shape:
        raise DataError(
            "Dissimilaritätsindex: erwartet werden zwei gleich lange Reihen von Fallzahlen "
            f"je Gebiet, gefunden Formen {xa.shape} und {ya.shape}"
        )
    if np.isnan(xa).any() or np.isnan(ya).any():
        return float("nan")
    if (xa < 0).any() or (ya < 0).any():
        raise DataError("Dissimilaritätsindex: negative Fallzahl in den Gebietsdaten")
    big_x, big_y = xa.sum(), ya.sum()
    if big_x == 0 or big_y == 0 or not np.isfinite(big_x) or not np.isfinite(big_y):
        return float("nan")
    d = 0.5 * float(np.abs(xa / big_x - ya / big_y).sum())
    return min(max(d, 0.0), 1.0)  # guard against rounding just outside [0, 1]


def change_pp(value: ArrayLike, previous: ArrayLike) -> Any:
    """Change of a share or rate to the previous period, in percentage points.

    .. math:: \\Delta_{pp} = v_t - v_{t-1}

    Parameters
    ----------
    value : scalar, array-like or pandas object
        Value in the current period (percent).
    previous : scalar, array-like or pandas object
        Value in the previous period (percent).

    Returns
    -------
    float, ndarray or pandas object
        Difference in percentage points; NaN where an input is missing.

    Examples
    --------
    >>> change_pp(14.5, 13.0)
    1.5
    """
    return _out(_as_float(value) - _as_float(previous))


def change_relative(value: ArrayLike, previous: ArrayLike) -> Any:
    """Relative change to the previous period, in percent.

    .. math:: \\Delta_{\\%} = \\frac{v_t - v_{t-1}}{v_{t-1}} \\cdot 100

    Parameters
    ----------
    value : scalar, array-like or pandas object
        Value in the current period.
    previous : scalar, array-like or pandas object
        Value in the previous period.

    Returns
    -------
    float, ndarray or pandas object
        Change in percent; NaN where ``previous`` is 0 or an input is missing.

    Examples
    --------
    >>> change_relative(110, 100)
    10.0
    >>> change_relative(5, 0)
    nan
    """
    v, p = _as_float(value), _as_float(previous)
    return _out(_divide((v - p) * 100, p))


def index_to_base(series: pd.Series | pd.DataFrame, base_label: Any) -> pd.Series | pd.DataFrame:
    """Index a time series to a base period (base = 100).

    .. math:: I_t = 100 \\cdot \\frac{v_t}{v_{\\text{base}}}

    Parameters
    ----------
    series : pandas Series or DataFrame
        Values indexed by period (a DataFrame is indexed column by column).
    base_label : index label
        Label of the base period, e.g. ``"2015"``; must occur exactly once in the index.

    Returns
    -------
    pandas Series or DataFrame
        Same shape; 100 at the base period, NaN everywhere (in that column) if the base
        value is 0 or missing.

    Raises
    ------
    DataError
        If the base label is not (or not uniquely) in the index.

    Examples
    --------
    >>> s = pd.Series([200, 250, 150], index=["2015", "2016", "2017"])
    >>> index_to_base(s, "2015").tolist()
    [100.0, 125.0, 75.0]
    """
    if not isinstance(series, (pd.Series, pd.DataFrame)):
        raise TypeError("index_to_base erwartet eine pandas Series oder einen DataFrame")
    if base_label not in series.index:
        shown = ", ".join(map(str, list(series.index)[:10]))
        raise DataError(f"Basiszeitraum {base_label!r} fehlt in der Zeitreihe; vorhanden: {shown}")
    if (series.index == base_label).sum() != 1:
        raise DataError(f"Basiszeitraum {base_label!r} kommt in der Zeitreihe mehrfach vor")
    values = _as_float(series)
    return _divide(values * 100, values.loc[base_label])


def target_attainment(value: ArrayLike, baseline: ArrayLike, target: ArrayLike) -> Any:
    """Share of the way from the baseline to the target that has been covered, in percent.

    .. math:: Z = 100 \\cdot \\frac{v - b}{t - b}

    Works for targets above and below the baseline. The result is not clipped: below 0
    means the value moved away from the target, above 100 means the target was exceeded.

    Parameters
    ----------
    value : scalar, array-like or pandas object
        Current value.
    baseline : scalar, array-like or pandas object
        Value when the target was set.
    target : scalar, array-like or pandas object
        Target value set by the council.

    Returns
    -------
    float, ndarray or pandas object
        Attainment in percent; NaN where ``target == baseline`` or an input is missing.

    Examples
    --------
    >>> target_attainment(12.0, 10.0, 15.0)
    40.0
    >>> target_attainment(8.0, 10.0, 5.0)  # target is a decrease
    40.0
    """
    v, b, t = _as_float(value), _as_float(baseline), _as_float(target)
    return _out(_divide((v - b) * 100, t - b))


def location_quotient(x_i: ArrayLike, t_i: ArrayLike, X: ArrayLike, T: ArrayLike) -> Any:
    """Location quotient: share of a group in an area relative to its share in the city.

    .. math:: LQ_i = \\frac{x_i / t_i}{X / T}

    Parameters
    ----------
    x_i : scalar, array-like or pandas object
        Group count in area i (e.g. foreigners in a Statistischer Bezirk).
    t_i : scalar, array-like or pandas object
        Total population of area i.
    X : scalar, array-like or pandas object
        Group count in the whole city.
    T : scalar, array-like or pandas object
        Total population of the city.

    Returns
    -------
    float, ndarray or pandas object
        1 = same share as the city, above 1 = concentration; NaN where ``t_i``, ``X`` or
        ``T`` is 0 or an input is missing.

    Examples
    --------
    >>> location_quotient(30, 100, 150, 1000)
    2.0
    """
    local = _divide(_as_float(x_i), _as_float(t_i))
    city = _divide(_as_float(X), _as_float(T))
    return _out(_divide(local, city))
