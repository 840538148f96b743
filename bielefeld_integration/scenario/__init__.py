"""Inflow scenarios: what a new arrival wave would need.

The city wants to be ready for new inflows at any time (implementation report 2016–2017,
"Perspektive"). This package turns a *scenario* — arrivals per year by channel
(``zuweisung``: assigned refugees, ``familiennachzug``: family reunification, ``eu``: EU
immigration), optionally split by nationality group, over up to five years — into the needs
that follow from it, per year and per Stadtbezirk:

* children of day-care age (under 3, 3 to school entry) and the expected day-care demand at
  the observed attendance rates of children with migration background,
* pupils by school level and, among the newcomers, those needing newcomer classes
  (Seiteneinstieg),
* integration-course entitlements, entries and courses,
* persons needing municipal accommodation and the dwellings that would house them, by
  household size,
* counselling cases.

How the model works
-------------------
1. **Arrivals.** Per channel and nationality group a number per year (or the observed arrivals
   of earlier periods, ``replay_periods``). The age/sex structure of each channel (and group)
   is taken from the arrivals of the scenario's ``reference_periods`` unless the scenario gives
   one; the arrivals are spread uniformly over the single years of age of their age group.
2. **Cohorts.** Every arrival cohort ages by one year per scenario year; ``verbleib`` is the
   share that is still in Bielefeld a year later. Stocks (children, pupils, persons in
   accommodation) are counted at the end of each scenario year and refer only to the
   newcomers of the scenario — they are *additional* needs on top of today's.
3. **Rates.** Observed ratios of the processed data (see :data:`RATE_SPECS`), pooled over the
   rate periods (sum of numerators / sum of denominators), or assumptions with a default
   value. Every rate can be overridden in the ``rates:`` section of the scenario file.
   Newcomer pupils and course entries come partly in the year after arrival
   (``*_anteil_folgejahr``); the rates are estimated with the same lag. Municipal
   accommodation is a stock: ``stock = unterbringung_quote × assigned + unterbringung_verbleib
   × stock of the year before``, both fitted to the observed stocks by least squares when at
   least two years with the stock of the year before exist.
4. **Districts.** Needs are distributed over the Stadtbezirke with the observed distribution
   of each channel's arrivals (first residence) in the reference periods, or with the
   scenario's ``district_shares``.
5. **Ranges.** ``low``/``high`` of each need come from evaluating the model with every rate
   at its lower/upper bound and with the age/sex and district structure of each single
   reference period as well as the pooled one (taking the minimum/maximum). A rate's bounds
   are the minimum/maximum of its yearly values, widened by an approximate 95 % interval of
   the pooled ratio (Poisson on the numerator), so that a rate from a single year still has a
   range. The point value always lies within the range.

Modules (data flows down the list):

``definitions``  channels, age spans, household sizes, what each rate and need means
``loading``      the table loader, a loader limited to a report period, period texts
``spec``         the :class:`Scenario`, its validation, :func:`limit_to_period`
``reading``      scenario files (YAML) and the presets shipped with the package
``rates``        :func:`estimate_rates` from the store, assumptions, caps of shares
``structure``    age/sex structure and district distribution of the arrivals
``projection``   :func:`project` and :func:`run`
``export``       German tables (:func:`needs_table`, :func:`rates_table`) and :func:`export`
``backtest``     :func:`backtest`: replay 2015–2016 with the rates of 2014

Quick use::

    from bielefeld_integration import scenario
    df = scenario.run("medium")                 # estimate rates from the store, project
    df = scenario.run("medium", up_to="2017")   # only data up to the report period 2017
    scenario.needs_table(df)                    # German table for planners
    scenario.export(df, "szenario_mittel.xlsx")
    scenario.backtest()                         # how good was the model for 2015–2016?
"""

from bielefeld_integration.scenario.backtest import backtest, backtest_table
from bielefeld_integration.scenario.definitions import (
    CHANNEL_LABELS,
    CHANNELS,
    CITY,
    HOUSEHOLD_SIZES,
    MAX_HORIZON,
    NATIONALITY_GROUPS,
    NEEDS,
    OUTPUT_COLUMNS,
    RATE_SPECS,
    NeedSpec,
    RateSpec,
)
from bielefeld_integration.scenario.export import export, needs_table, rates_table
from bielefeld_integration.scenario.loading import Loader, period_text
from bielefeld_integration.scenario.projection import project, run
from bielefeld_integration.scenario.rates import Rate, Rates, estimate_rates
from bielefeld_integration.scenario.reading import (
    PRESET_DIR,
    load_scenario,
    presets,
    scenario_from_dict,
)
from bielefeld_integration.scenario.spec import Scenario, ScenarioNotAvailable, limit_to_period
from bielefeld_integration.scenario.structure import Structure, estimate_structure

__all__ = [
    "CHANNELS",
    "CHANNEL_LABELS",
    "CITY",
    "HOUSEHOLD_SIZES",
    "MAX_HORIZON",
    "NATIONALITY_GROUPS",
    "NEEDS",
    "OUTPUT_COLUMNS",
    "PRESET_DIR",
    "RATE_SPECS",
    "Loader",
    "NeedSpec",
    "Rate",
    "RateSpec",
    "Rates",
    "Scenario",
    "ScenarioNotAvailable",
    "Structure",
    "backtest",
    "backtest_table",
    "estimate_rates",
    "estimate_structure",
    "export",
    "limit_to_period",
    "load_scenario",
    "needs_table",
    "period_text",
    "presets",
    "project",
    "rates_table",
    "run",
    "scenario_from_dict",
]
