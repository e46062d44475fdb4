"""The map of Peru, drawn on the server as inline SVG: departments shaded by a figure, clusters as marks.

The outlines are clusters/data/peru_departments.json (Natural Earth, public domain; README.md there says
how it was derived). They are projected once per process (equirectangular, stretched by the cosine of
Peru's middle latitude so that the country keeps its shape) and kept as SVG path strings; a page only adds
the shading, the marks and their accessible names.
"""

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

GEOMETRY = Path(__file__).resolve().parent / "data" / "peru_departments.json"
WIDTH = 400  # SVG user units; the page scales the drawing to its column
MARGIN = 6
SHADES = 4  # classes map-shade-1 .. map-shade-4; map-shade-0 is "nothing here"


@dataclass(frozen=True)
class Outline:
    code: str
    name: str
    rings: tuple  # ((longitude, latitude), ...) per ring
    path: str  # the SVG path of the rings, projected


@dataclass(frozen=True)
class Projection:
    west: float
    north: float
    scale: float  # SVG units per degree of latitude
    stretch: float  # cos(middle latitude): a degree of longitude is this much shorter
    width: int
    height: int

    def point(self, latitude, longitude):
        return (
            MARGIN + (longitude - self.west) * self.scale * self.stretch,
            MARGIN + (self.north - latitude) * self.scale,
        )


@lru_cache(maxsize=1)
def outlines():
    """The 25 departments (in ubigeo order) and the projection that fits them in WIDTH units."""
    document = json.loads(GEOMETRY.read_text(encoding="utf-8"))
    departments = document["departments"]
    points = [point for department in departments for ring in department["rings"] for point in ring]
    west, east = min(p[0] for p in points), max(p[0] for p in points)
    south, north = min(p[1] for p in points), max(p[1] for p in points)
    stretch = math.cos(math.radians((north + south) / 2))
    scale = (WIDTH - 2 * MARGIN) / ((east - west) * stretch)
    height = math.ceil((north - south) * scale + 2 * MARGIN)
    projection = Projection(west, north, scale, stretch, WIDTH, height)
    shapes = []
    for department in departments:
        rings = tuple(tuple((lon, lat) for lon, lat in ring) for ring in department["rings"])
        path = " ".join(
            "M" + "L".join("{:.1f},{:.1f}".format(*projection.point(lat, lon)) for lon, lat in ring[:-1]) + "Z"
            for ring in rings
        )
        shapes.append(Outline(department["code"], department["name"], rings, path))
    return tuple(shapes), projection


def _inside(ring, longitude, latitude):
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y1 > latitude) != (y2 > latitude) and longitude < x1 + (latitude - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def department_at(latitude, longitude):
    """The ubigeo code of the department whose outline holds the point, or None (at sea, abroad)."""
    shapes, _projection = outlines()
    for shape in shapes:
        if sum(_inside(ring, longitude, latitude) for ring in shape.rings) % 2:
            return shape.code
    return None


@dataclass(frozen=True)
class MapArea:
    code: str
    name: str
    path: str
    shade: int  # 0 (nothing) .. SHADES
    value: float
    value_label: str
    url: str


@dataclass(frozen=True)
class MapMark:
    name: str
    x: float
    y: float
    url: str
    place: str  # the names of its departments


@dataclass(frozen=True)
class PeruMap:
    width: int
    height: int
    areas: tuple
    marks: tuple
    unplaced: tuple  # names of clusters with no point on the map
    legend: tuple  # (shade, label) from light to dark


def shade_of(value, top):
    """Which of the SHADES classes a value falls in, proportionally to the largest (0 for nothing)."""
    if not value or not top:
        return 0
    return max(1, min(SHADES, math.ceil(SHADES * value / top)))


def peru_map(*, values, value_label, department_url, clusters, cluster_url):
    """The map of Peru for a page.

    ``values`` is {department code: number} (clusters counted, soles executed ...), ``value_label(number)``
    says a value in words, ``department_url(code)`` links a department to its list; ``clusters`` are
    clusters.selectors.MapCluster rows and ``cluster_url(slug)`` their page.
    """
    shapes, projection = outlines()
    top = max((float(v) for v in values.values()), default=0)
    names = {shape.code: shape.name for shape in shapes}
    areas = tuple(
        MapArea(
            code=shape.code,
            name=shape.name,
            path=shape.path,
            shade=shade_of(float(values.get(shape.code, 0)), top),
            value=float(values.get(shape.code, 0)),
            value_label=value_label(values.get(shape.code, 0)),
            url=department_url(shape.code),
        )
        for shape in shapes
    )
    marks, unplaced = [], []
    for cluster in clusters:
        if cluster.latitude is None or cluster.longitude is None:
            unplaced.append(cluster.name)
            continue
        x, y = projection.point(cluster.latitude, cluster.longitude)
        place = ", ".join(names[code] for code in cluster.departments if code in names)
        marks.append(MapMark(cluster.name, round(x, 1), round(y, 1), cluster_url(cluster.slug), place))
    legend = tuple((shade, value_label(top * shade / SHADES)) for shade in range(1, SHADES + 1)) if top else ()
    return PeruMap(projection.width, projection.height, areas, tuple(marks), tuple(unplaced), legend)


def clusters_per_department(clusters):
    """{department code: how many of these MapCluster rows have a region in it} (a cluster of several
    departments counts in each)."""
    counts = {}
    for cluster in clusters:
        for code in cluster.departments:
            counts[code] = counts.get(code, 0) + 1
    return counts
