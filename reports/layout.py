"""A force-directed layout for the network diagram, in pure Python.

networkx's ``spring_layout`` needs numpy, which the project does not otherwise depend on; this is the
same Fruchterman-Reingold model (repulsion k²/d between every pair, attraction d²/k along ties, a
cooling step limit), seeded so that the same network always gets the same picture. A weak pull towards
the centre keeps isolated actors and small components from drifting to the corners.
"""

import math
import random
from collections.abc import Hashable, Iterable

Point = tuple[float, float]


def spring_layout(
    nodes: list[Hashable],
    ties: Iterable[tuple[Hashable, Hashable]],
    *,
    seed: int = 42,
    iterations: int = 60,
    gravity: float = 0.08,
) -> dict[Hashable, Point]:
    """Positions in the unit square for ``nodes``; ``ties`` are pairs of nodes, direction ignored.

    The result is centred and scaled to fill [0, 1] on its longer side, keeping proportions.
    """
    count = len(nodes)
    if count == 0:
        return {}
    if count == 1:
        return {nodes[0]: (0.5, 0.5)}
    index = {node: position for position, node in enumerate(nodes)}
    pairs = sorted(
        {(min(index[a], index[b]), max(index[a], index[b])) for a, b in ties if a in index and b in index and a != b}
    )
    rng = random.Random(seed)
    xs = [rng.random() for _ in range(count)]
    ys = [rng.random() for _ in range(count)]
    k = math.sqrt(1.0 / count)
    k2 = k * k
    temperature = 0.1
    cooling = temperature / (iterations + 1)
    for _ in range(iterations):
        dx = [0.0] * count
        dy = [0.0] * count
        for i in range(count):
            xi, yi = xs[i], ys[i]
            for j in range(i + 1, count):
                ddx = xi - xs[j]
                ddy = yi - ys[j]
                distance2 = max(ddx * ddx + ddy * ddy, 1e-6)
                push = k2 / distance2
                dx[i] += ddx * push
                dy[i] += ddy * push
                dx[j] -= ddx * push
                dy[j] -= ddy * push
        for i, j in pairs:
            ddx = xs[i] - xs[j]
            ddy = ys[i] - ys[j]
            pull = math.sqrt(ddx * ddx + ddy * ddy) / k
            dx[i] -= ddx * pull
            dy[i] -= ddy * pull
            dx[j] += ddx * pull
            dy[j] += ddy * pull
        for i in range(count):
            gx = dx[i] - gravity * (xs[i] - 0.5) / k
            gy = dy[i] - gravity * (ys[i] - 0.5) / k
            length = math.sqrt(gx * gx + gy * gy)
            if length > 0:
                step = min(length, temperature) / length
                xs[i] += gx * step
                ys[i] += gy * step
        temperature -= cooling
    return dict(zip(nodes, _fit_unit_square(xs, ys), strict=True))


def _fit_unit_square(xs: list[float], ys: list[float]) -> list[Point]:
    min_x, max_x, min_y, max_y = min(xs), max(xs), min(ys), max(ys)
    span = max(max_x - min_x, max_y - min_y) or 1.0
    offset_x = (1 - (max_x - min_x) / span) / 2
    offset_y = (1 - (max_y - min_y) / span) / 2
    return [((x - min_x) / span + offset_x, (y - min_y) / span + offset_y) for x, y in zip(xs, ys, strict=True)]
