#!/usr/bin/env python3
"""Builds the world outline that the HTML report's place map draws.

Source: the npm package world-atlas 2.0.2 (ISC licence, Mike Bostock), file land-110m.json:
Natural Earth 1:110m land polygons (public domain, https://www.naturalearthdata.com/).
Tarball sha256: 032e7765f2ce00edaeafec23ff22bc3b77e42987c257da944cc585b452c05b97
(`npm pack world-atlas@2.0.2`, or
https://registry.npmjs.org/world-atlas/-/world-atlas-2.0.2.tgz).

Output: ONE SVG path (the `d` attribute only) in an equirectangular projection whose user
units are UNIT degrees, so the report draws it
with `transform="scale(UNIT)"` inside a `viewBox="0 0 360 180"` map (x = lon + 180,
y = 90 - lat). Rings that cross the antimeridian are drawn on both edges (the map clips
what lies outside it), and the ring around the South Pole is closed along the bottom edge.
Holes (lakes) keep their opposite winding; the report fills with `evenodd`. Coordinates are rounded to UNIT degrees, consecutive duplicates dropped and
rings smaller than MIN_RING_SPAN degrees across left out, which keeps the path small.

The result is deterministic: the same tarball gives the same bytes.

Usage: python3 scripts/build-world-outline.py world-atlas-2.0.2.tgz \
           > crates/claimlens-export/src/html/world.svgpath
"""

import sys

from topojson import decode_arcs, load_topology, ring_points, unwrap

# Rounding step in degrees; the report's `scale(...)` must use the same number.
UNIT = 0.25
# Islands smaller than this many degrees in both directions are not drawn.
MIN_RING_SPAN = 1.0


def rings(topo, arcs):
    for geometry in topo["objects"]["land"]["geometries"]:
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        for polygon in polygons:
            for ring in polygon:
                yield ring_points(ring, arcs)


def copies(points):
    """The ring, and its copies a world to the left or right, wherever they overlap the map
    (-180..180): a ring that crosses the antimeridian is drawn on both edges."""
    lons = [lon for lon, _ in points]
    for shift in (-360, 0, 360):
        if min(lons) + shift < 180 and max(lons) + shift > -180:
            yield [(lon + shift, lat) for lon, lat in points]


def grid(points):
    """Projected, rounded to UNIT (in units of UNIT), consecutive duplicates dropped."""
    out = []
    for lon, lat in points:
        p = (round((lon + 180) / UNIT), round((90 - lat) / UNIT))
        if not out or out[-1] != p:
            out.append(p)
    if len(out) > 1 and out[0] == out[-1]:
        out.pop()
    return out


def path(topo):
    arcs = decode_arcs(topo)
    parts = []
    min_span = MIN_RING_SPAN / UNIT
    for ring in (c for r in rings(topo, arcs) for c in copies(unwrap(r))):
        pts = grid(ring)
        xs, ys = [p[0] for p in pts], [p[1] for p in pts]
        if len(pts) < 3 or (max(xs) - min(xs) < min_span and max(ys) - min(ys) < min_span):
            continue
        # Relative moves keep the numbers short: "M" absolute start, then "l" steps.
        d = [f"M{pts[0][0]} {pts[0][1]}l"]
        steps = []
        for (x0, y0), (x1, y1) in zip(pts, pts[1:]):
            steps.append(f"{x1 - x0} {y1 - y0}")
        d.append(" ".join(steps).replace(" -", "-"))
        d.append("z")
        parts.append("".join(d))
    return "".join(parts)


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sys.stdout.write(path(load_topology(sys.argv[1], "land-110m.json")) + "\n")


if __name__ == "__main__":
    main()
