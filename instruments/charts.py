"""A small time-series chart of an indicator, computed here and drawn as inline SVG by a template (no JS)."""

WIDTH = 320
HEIGHT = 120
PAD_LEFT = 8
PAD_RIGHT = 8
PAD_TOP = 10
PAD_BOTTOM = 10


def series_chart(indicator, *, width=WIDTH, height=HEIGHT):
    """Coordinates for the SVG of an IndicatorSummary: baseline, target and the approved values over time.

    Returns None when there is nothing to draw. The horizontal axis runs from the baseline date to the later
    of the target date and the last measurement, the vertical one over baseline, target and every value.
    """
    points = [(indicator.baseline_date, indicator.baseline), *indicator.series]
    if not points:
        return None
    dates = [date for date, _value in points] + [indicator.target_date]
    values = [float(value) for _date, value in points] + [float(indicator.target)]
    first, last = min(dates), max(dates)
    low, high = min(values), max(values)
    if high == low:
        high, low = high + 1, low - 1
    span_days = max((last - first).days, 1)
    inner_w = width - PAD_LEFT - PAD_RIGHT
    inner_h = height - PAD_TOP - PAD_BOTTOM

    def x(date):
        return round(PAD_LEFT + inner_w * (date - first).days / span_days, 1)

    def y(value):
        return round(PAD_TOP + inner_h * (high - float(value)) / (high - low), 1)

    line = [(x(date), y(value)) for date, value in points]
    return {
        "width": width,
        "height": height,
        "polyline": " ".join(f"{px},{py}" for px, py in line),
        "dots": [{"x": px, "y": py} for px, py in line[1:]],
        "baseline_y": y(indicator.baseline),
        "target_y": y(indicator.target),
        "target_x": x(indicator.target_date),
        "left": PAD_LEFT,
        "right": width - PAD_RIGHT,
    }
