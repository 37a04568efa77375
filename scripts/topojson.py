"""TopoJSON decoding shared by the scripts that read Natural Earth data from the npm package
world-atlas 2.0.2 (ISC licence; the data public domain): build-world-outline.py (the report's
map) and build-gazetteer.py (each country's own point)."""

import hashlib
import json
import math
import sys
import tarfile

# `npm pack world-atlas@2.0.2`, or https://registry.npmjs.org/world-atlas/-/world-atlas-2.0.2.tgz
SHA256 = "032e7765f2ce00edaeafec23ff22bc3b77e42987c257da944cc585b452c05b97"


def load_topology(tgz_path, member_name):
    """One TopoJSON file of the world-atlas tarball, after checking the tarball's hash."""
    data = open(tgz_path, "rb").read()
    digest = hashlib.sha256(data).hexdigest()
    if digest != SHA256:
        sys.exit(f"{tgz_path}: sha256 {digest}, expected {SHA256} (world-atlas 2.0.2)")
    with tarfile.open(tgz_path, "r:gz") as tar:
        member = tar.extractfile(f"package/{member_name}")
        if member is None:
            sys.exit(f"{tgz_path}: no package/{member_name}")
        return json.load(member)


def decode_arcs(topo):
    """Absolute (lon, lat) points of every arc (TopoJSON quantised, delta-encoded)."""
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring_points(ring, arcs):
    """A ring's points from its arc indices (a negative index is a reversed arc)."""
    points = []
    for index in ring:
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        # Each arc after the first starts where the previous one ended.
        points.extend(arc if not points else arc[1:])
    return points


def unwrap(points):
    """The ring with continuous longitudes: a step across the antimeridian (179 to -179)
    becomes a small step (179 to 181) instead of a jump across the whole map."""
    out = [points[0]]
    for lon, lat in points[1:]:
        prev = out[-1][0]
        while lon - prev > 180:
            lon -= 360
        while lon - prev < -180:
            lon += 360
        out.append((lon, lat))
    # A ring around a pole (Antarctica) gains 360 degrees of longitude: close it along the
    # map's edge at that pole.
    if abs(out[-1][0] - out[0][0]) > 180:
        pole = -90 if sum(lat for _, lat in out) < 0 else 90
        out += [(out[-1][0], pole), (out[0][0], pole)]
    return out


def country_points(topo):
    """ISO 3166-1 numeric code -> (lat, lon): a point inside each country's largest polygon.

    The point is the polygon's centroid on an equal-area projection (longitude, sine of
    latitude), so a high-latitude island does not outweigh a larger mainland; when the
    centroid falls outside the polygon (a crescent or a long coast), it is the middle of the
    widest stretch of land along the centroid's parallel instead. Natural Earth's countries
    carry their numeric code as `id`; the few without one are skipped. Where several
    features share a code (Australia and its Ashmore and Cartier Islands), the largest
    polygon of them all decides."""
    arcs = decode_arcs(topo)
    largest = {}
    for geometry in topo["objects"]["countries"]["geometries"]:
        code = geometry.get("id")
        if not code or not code.isdigit() or geometry["type"] not in ("Polygon", "MultiPolygon"):
            continue
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        best = None
        for polygon in polygons:
            ring = [(lon, _sin(lat)) for lon, lat in unwrap(ring_points(polygon[0], arcs))]
            area, centroid = _area_centroid(ring)
            if best is None or area > best[0]:
                best = (area, centroid, ring)
        if best is not None and best[0] > 0 and best[0] > largest.get(int(code), (0,))[0]:
            largest[int(code)] = best
    out = {}
    for code, (_, (x, y), ring) in sorted(largest.items()):
        if not _inside(ring, x, y):
            x = _widest_middle(ring, y)
        lon = (x + 180) % 360 - 180
        out[code] = (round(_asin(y), 4), round(lon, 4))
    return out


def _sin(lat):
    return math.sin(math.radians(lat))


def _asin(y):
    return math.degrees(math.asin(max(-1.0, min(1.0, y))))


def _area_centroid(ring):
    """Absolute area and centroid of a closed ring (the shoelace formula)."""
    a = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1]):
        c = x0 * y1 - x1 * y0
        a += c
        cx += (x0 + x1) * c
        cy += (y0 + y1) * c
    if a == 0:
        return 0.0, ring[0]
    return abs(a) / 2, (cx / (3 * a), cy / (3 * a))


def _crossings(ring, y):
    """The x where the ring's edges cross the horizontal line at y, sorted."""
    xs = []
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1]):
        if (y0 > y) != (y1 > y):
            xs.append(x0 + (y - y0) * (x1 - x0) / (y1 - y0))
    return sorted(xs)


def _inside(ring, x, y):
    return sum(1 for cx in _crossings(ring, y) if cx < x) % 2 == 1


def _widest_middle(ring, y):
    xs = _crossings(ring, y)
    spans = list(zip(xs[::2], xs[1::2]))
    a, b = max(spans, key=lambda s: s[1] - s[0])
    return (a + b) / 2
