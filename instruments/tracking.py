"""The indicator tracking table (the XLSX export's data): one row per indicator the user may see, with the
actual of each period, quarters or years. ``instruments.exports`` writes it as a workbook."""

from collections import defaultdict

from django.utils.translation import gettext as _

from clusters.collation import spanish
from instruments.models import Measurement
from instruments.progress import progress
from instruments.selectors import visible_indicators


def period_of(date, by):
    """The period a date falls in: (year, quarter) for quarters, (year, None) for years."""
    return (date.year, (date.month - 1) // 3 + 1) if by == "quarter" else (date.year, None)


def period_label(period):
    year, quarter = period
    if quarter is None:
        return str(year)
    return _("%(year)s-Q%(quarter)s") % {"year": year, "quarter": quarter}


def _periods_between(first, last, by):
    periods, current = [], first
    while current <= last:
        periods.append(current)
        current = _next_period(current, by)
    return periods


def _next_period(period, by):
    year, quarter = period
    if by != "quarter":
        return (year + 1, None)
    return (year + 1, 1) if quarter == 4 else (year, quarter + 1)


def indicator_tracking(user, *, cluster=None, by="quarter"):
    """The performance tracking table: one row per indicator the user may see, the actual of each period.

    A period's actual is the latest approved measurement dated in it; periods run without gaps from the
    first to the last approved measurement. Returns {"periods": [(year, quarter|None)], "rows": [...]}.
    """
    indicators = visible_indicators(user).select_related("intervention__cluster", "intervention__instrument_type")
    if cluster is not None:
        indicators = indicators.filter(intervention__cluster=cluster)
    indicators = list(
        indicators.order_by(
            spanish("intervention__cluster__name"), spanish("intervention__title"), spanish("name"), "pk"
        )
    )
    actuals = defaultdict(dict)
    latest = {}
    for indicator_id, date, value in (
        Measurement.objects.filter(indicator__in=[i.pk for i in indicators], status=Measurement.Status.APPROVED)
        .order_by("indicator_id", "date", "pk")
        .values_list("indicator_id", "date", "value")
    ):
        actuals[indicator_id][period_of(date, by)] = value
        latest[indicator_id] = value
    seen = sorted({period for by_period in actuals.values() for period in by_period})
    periods = _periods_between(seen[0], seen[-1], by) if seen else []
    rows = []
    for indicator in indicators:
        value = latest.get(indicator.pk)
        rows.append(
            {
                "indicator": indicator,
                "cluster": indicator.intervention.cluster.name,
                "intervention": indicator.intervention.title,
                "instrument": indicator.intervention.instrument_type.name,
                "actuals": [actuals[indicator.pk].get(period) for period in periods],
                "latest": value,
                "progress": progress(
                    baseline=indicator.baseline_value,
                    target=indicator.target_value,
                    latest=value,
                    direction=indicator.direction,
                ),
            }
        )
    return {"periods": periods, "rows": rows}
