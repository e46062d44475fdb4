"""How far an indicator has come from its baseline towards its target: the one rule for pages, exports and PDFs.

progress = (latest - baseline) / (target - baseline), over approved measurements only (the caller passes the
latest approved value). The same formula is right for decreasing indicators: with baseline 18 % and target
8 %, a latest value of 13 % gives (13 - 18) / (8 - 18) = 0.5. The result is not clamped: 1.2 means the
target was overshot by a fifth of the way, -0.1 that the indicator moved away from its target.
"""

from decimal import Decimal

INCREASE = "increase"
DECREASE = "decrease"


def progress(*, baseline, target, latest, direction=INCREASE):
    """The share of the way from baseline to target reached by ``latest`` (a float), or None without a value.

    When the target equals the baseline there is no way to go: the indicator counts as done (1.0) while the
    latest value is at or beyond the target in the indicator's direction, and as 0.0 when it fell behind.
    """
    if latest is None or baseline is None or target is None:
        return None
    baseline, target, latest = Decimal(baseline), Decimal(target), Decimal(latest)
    distance = target - baseline
    if distance == 0:
        reached = latest <= target if direction == DECREASE else latest >= target
        return 1.0 if reached else 0.0
    return float((latest - baseline) / distance)


def bar_percent(value):
    """The width of a progress bar (0 to 100) for a progress value; None stays None."""
    if value is None:
        return None
    return max(0.0, min(100.0, value * 100))


def percent_label(value):
    """A progress value as a whole percentage for people ("120 %"); an empty string when there is none."""
    if value is None:
        return ""
    return f"{round(value * 100)} %"


# An indicator's standing on the dashboard: on track, behind, or without a recent approved measurement.
ON_TRACK = "on_track"
BEHIND = "behind"
STALE = "stale"
# Half a year without an approved measurement and nobody knows where the indicator stands.
STALE_AFTER_DAYS = 183


def standing(*, progress, baseline_date, target_date, latest_date, as_of):
    """ON_TRACK, BEHIND or STALE for an indicator whose latest approved measurement (dated ``latest_date``)
    gives ``progress``, looked at on ``as_of``.

    Stale: no approved measurement, or the latest is more than STALE_AFTER_DAYS old. Otherwise on track
    when the progress reached is at least the share of the time from baseline to target that had passed on
    the measurement's date (a straight path to the target), behind when it is less.
    """
    if progress is None or latest_date is None or (as_of - latest_date).days > STALE_AFTER_DAYS:
        return STALE
    if progress >= 1:
        return ON_TRACK
    span = (target_date - baseline_date).days if target_date and baseline_date else 0
    expected = 1.0 if span <= 0 else min(1.0, max(0.0, (latest_date - baseline_date).days / span))
    return ON_TRACK if progress >= expected else BEHIND
