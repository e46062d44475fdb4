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
