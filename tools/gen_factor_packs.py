#!/usr/bin/env python3
"""Generate the bundled factor packs (data/factors/*.json) from the raw reference tables.

Usage (from the repository root):

    python3 tools/gen_factor_packs.py ../shared/reference data/factors
    python3 tools/gen_factor_packs.py ../shared/reference data/factors --check

REFERENCE_DIR must hold:
  desnz-2025/*.csv       CSV dumps of the DESNZ 2025 flat file (columns ID, Scope, Level 1..4,
                         Column Text, UOM, GHG/Unit, GHG Conversion Factor 2025)
  emission_factors.csv   research table (ADEME Impact CO2 components, Dutch list values)
  emission_factors.md    research notes; its tables are used as an independent cross-check

Writes desnz-2025.json, ademe-2025.json and nl-2025.json into OUT_DIR. With --check nothing is
written; the script exits 1 if a committed file differs from what it would generate.

This is a developer tool. The build and the tests read only the generated JSON files, never
REFERENCE_DIR. Python 3 standard library only. Output is deterministic: keys in schema order
(docs/DESIGN.md), 2-space indent, UTF-8, trailing newline.

Self-checks (assert): every emitted number equals its source cell; the DESNZ numbers also equal
the tables transcribed in emission_factors.md; every DESNZ business-travel row in scope is used;
each mode has exactly one default factor; ids are unique.

Rounding: the only derived numbers are the DESNZ flight non-CO2 parts, (with RF - without RF).
Both inputs have 5 decimals, so the difference is rounded to 5 decimals (the precision of the
source) to remove binary floating-point noise (0.12576 - 0.07435 = 0.05141000000000001).
"""

import csv
import json
import math
import os
import re
import sys

MODES = (
    "flight", "train", "coach", "bus", "car", "taxi", "motorbike", "moped", "ferry", "tram",
    "metro", "bike", "ebike", "escooter", "walk",
)
VARIANT_KEYS = ("haul", "cabin", "size", "fuel", "kind")
UNITS = ("passenger.km", "vehicle.km")
RELIABILITY = ("A", "B", "C")

# ---------------------------------------------------------------------------------------------
# Conventions shared by all packs: detour multipliers (great-circle km -> travelled km)
# ---------------------------------------------------------------------------------------------

DETOUR = {
    "train": 1.2,
    "coach": 1.5,
    "bus": 1.5,
    "tram": 1.5,
    "metro": 1.7,
    "car": 1.3,
    "taxi": 1.3,
    "motorbike": 1.3,
    "moped": 1.3,
    "ferry": 1.0,
    "bike": 1.3,
    "ebike": 1.3,
    "escooter": 1.3,
    "walk": 1.3,
    "flight": 1.0,
}

DETOUR_SOURCE = (
    "GES 1point5 (Labos 1point5) conventions, all known second-hand. train x1.2 and bus x1.5: "
    "pledge4future co2calculator data/detour.csv (\"adapted from GES 1point5, advised by "
    "Frederic Heran\") and the Labos 1point5 travels-simulator 'Understand calculation' text as "
    "quoted in a third-party code comment; coach uses the bus value. metro x1.7, tram x1.5 and "
    "car x1.3: only that simulator quote (single second-hand source) - UNVERIFIED; car x1.3 is "
    "commonly used but could not be confirmed in Labos 1point5's own code. ferry x1.0: "
    "pledge4future (GES 1point5 does not cover ferries). taxi, motorbike, moped, bike, ebike, "
    "escooter and walk x1.3: our assumption by analogy with car, no source - UNVERIFIED. "
    "flight x1.0: flights use flight_distance instead of a detour multiplier."
)

# ---------------------------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------------------------


def check(cond, msg):
    if not cond:
        raise AssertionError(msg)


def num(text, what):
    text = (text or "").strip()
    check(text != "", f"{what}: empty value")
    value = float(text)
    check(math.isfinite(value) and value >= 0.0, f"{what}: bad value {text!r}")
    return value


def lower_first(s):
    return s[:1].lower() + s[1:]


def factor(*, fid, mode, variant, label, unit, source, table, row, year, scope, reliability,
           default=False, ttw=0.0, wtt=0.0, energy_wtw=0.0, non_co2=0.0, construction=0.0,
           note=""):
    """One factor in schema key order (docs/DESIGN.md)."""
    return {
        "id": fid,
        "mode": mode,
        "variant": variant,
        "default": default,
        "label": label,
        "unit": unit,
        "ttw": ttw,
        "wtt": wtt,
        "energy_wtw": energy_wtw,
        "non_co2": non_co2,
        "construction": construction,
        "source": source,
        "table": table,
        "row": row,
        "year": year,
        "scope": scope,
        "reliability": reliability,
        "note": note,
    }


def md_table(md_text, heading):
    """Rows (lists of cells) of the first Markdown table after the line starting with heading."""
    lines = md_text.splitlines()
    start = next((i for i, l in enumerate(lines) if l.startswith(heading)), None)
    check(start is not None, f"emission_factors.md: heading {heading!r} not found")
    i = start if lines[start].startswith("|") else start + 1
    while i < len(lines) and not lines[i].startswith("|"):
        i += 1
    rows = []
    while i < len(lines) and lines[i].startswith("|"):
        cells = [c.strip() for c in lines[i].strip().strip("|").split("|")]
        if not all(re.fullmatch(r":?-+:?", c) for c in cells):
            rows.append(cells)
        i += 1
    check(len(rows) >= 2, f"emission_factors.md: no table after {heading!r}")
    return rows[0], rows[1:]


def shown_equals(shown, value, what):
    """True when value rounds to the number as shown (with its decimals) in the Markdown."""
    shown = shown.replace("*", "").strip()
    decimals = len(shown.split(".")[1]) if "." in shown else 0
    check(abs(value - float(shown)) <= 0.5 * 10 ** -decimals + 1e-12,
          f"{what}: {value} does not match {shown} shown in emission_factors.md")


# ---------------------------------------------------------------------------------------------
# DESNZ 2025
# ---------------------------------------------------------------------------------------------

DESNZ_VALUE = "GHG Conversion Factor 2025"
DESNZ_SOURCE_FILES = (
    "category_business_travel_air.csv",
    "category_business_travel_land.csv",
    "category_business_travel_sea.csv",
)
DESNZ_WTT_FILES = (
    "category_wtt_business_travel_air.csv",
    "category_wtt_business_travel_sea.csv",
    "category_wtt_pass_vehs_and_travel_land.csv",
)
DESNZ_TD_FILE = "category_uk_electricity_td_for_evs.csv"
WTT_LEVEL1 = {
    "Business travel- air": "WTT- business travel- air",
    "Business travel- land": "WTT- pass vehs & travel- land",
    "Business travel- sea": "WTT- business travel- sea",
}
UOM_UNIT = {"km": "vehicle.km", "passenger.km": "passenger.km"}
DESNZ_SHEET_SOURCE = "UK DESNZ GHG conversion factors 2025, flat file"


class Desnz:
    def __init__(self, directory):
        self.rows = []
        for name in DESNZ_SOURCE_FILES + DESNZ_WTT_FILES + (DESNZ_TD_FILE,):
            with open(os.path.join(directory, name), newline="", encoding="utf-8-sig") as f:
                for r in csv.DictReader(f):
                    r["_file"] = name
                    self.rows.append(r)
        ids = [r["ID"] for r in self.rows]
        check(len(ids) == len(set(ids)), "DESNZ: duplicate row IDs")
        self.used = set()

    def find(self, level1, level2, level3, level4, column, uom, ghg="kg CO2e"):
        key = (level1, level2, level3, level4, column, uom, ghg)
        return [r for r in self.rows
                if (r["Level 1"], r["Level 2"], r["Level 3"], r["Level 4"], r["Column Text"],
                    r["UOM"], r["GHG/Unit"]) == key]

    def one(self, *key, **kw):
        found = self.find(*key, **kw)
        check(len(found) == 1, f"DESNZ: expected one row for {key} {kw}, found {len(found)}")
        return found[0]

    def wtt_of(self, row):
        """The WTT row matching a business-travel row (same levels, same ID middle part)."""
        wtt = self.one(WTT_LEVEL1[row["Level 1"]], "WTT- " + lower_first(row["Level 2"]),
                       row["Level 3"], row["Level 4"], row["Column Text"], row["UOM"])
        check(wtt["ID"].split("_")[2:4] == row["ID"].split("_")[2:4],
              f"DESNZ: WTT row {wtt['ID']} does not pair with {row['ID']}")
        return wtt

    def value(self, row):
        self.used.add(row["ID"])
        return num(row[DESNZ_VALUE], f"DESNZ {row['ID']}")

    @staticmethod
    def table_text(row, with_column=True):
        parts = [row["Level 1"], row["Level 2"], row["Level 3"], row["Level 4"]]
        if with_column:
            parts.append(row["Column Text"])
        return " / ".join(p for p in parts if p)


DESNZ_LAND_SCOPE = "TTW (DESNZ 'kg CO2e' total per unit); WTT separate (DESNZ WTT sheet)"
DESNZ_EV_SCOPE = ("TTW = UK-grid electricity generation for charging (DESNZ business-travel "
                  "convention); WTT separate; T&D losses not included")
DESNZ_FLIGHT_SCOPE = ("TTW without RF; WTT separate; non-CO2 = with RF - without RF; "
                      "DESNZ 8 % great-circle uplift included")


def desnz_land(d, *, fid, mode, variant, level1, level2, level3, column, uom, label,
               default=False, note="", scope=DESNZ_LAND_SCOPE):
    """A land or sea factor; None when DESNZ leaves the cell empty (asserting WTT is empty too)."""
    row = d.one(level1, level2, level3, "", column, uom)
    wtt = d.wtt_of(row)
    if row[DESNZ_VALUE].strip() == "":
        check(wtt[DESNZ_VALUE].strip() == "", f"DESNZ {row['ID']}: empty value but WTT present")
        return None
    unit = UOM_UNIT[row["UOM"]]
    return factor(
        fid=fid, mode=mode, variant=variant, default=default, label=label, unit=unit,
        ttw=d.value(row), wtt=d.value(wtt),
        source=f"{DESNZ_SHEET_SOURCE}, {level1} (+ {wtt['Level 1']})",
        table=Desnz.table_text(row), row=f"{row['ID']}; WTT {wtt['ID']}", year=2025,
        scope=scope, reliability="A", note=note,
    )


CAR_SIZES = (("small", "Small car"), ("medium", "Medium car"), ("large", "Large car"),
             ("average", "Average car"))
CAR_FUELS = (("petrol", "Petrol"), ("diesel", "Diesel"), ("hybrid", "Hybrid"),
             ("phev", "Plug-in Hybrid Electric Vehicle"), ("bev", "Battery Electric Vehicle"),
             ("unknown", "Unknown"), ("cng", "CNG"), ("lpg", "LPG"))
FLIGHT_HAULS = (("domestic", "Domestic, to/from UK"), ("short", "Short-haul, to/from UK"),
                ("long", "Long-haul, to/from UK"),
                ("international", "International, to/from non-UK"))
FLIGHT_CABINS = (("average", "Average passenger"), ("economy", "Economy class"),
                 ("premium", "Premium economy class"), ("business", "Business class"),
                 ("first", "First class"))


def desnz_flights(d, rf_ratios):
    out = []
    l1, l2 = "Business travel- air", "Flights"
    for haul, haul_text in FLIGHT_HAULS:
        for cabin, cabin_text in FLIGHT_CABINS:
            without = d.find(l1, l2, haul_text, cabin_text, "Without RF", "passenger.km")
            if not without:
                check(not d.find(l1, l2, haul_text, cabin_text, "With RF", "passenger.km"),
                      f"DESNZ: {haul_text} / {cabin_text} has a with-RF row only")
                continue
            check(len(without) == 1, f"DESNZ: {haul_text} / {cabin_text}: several rows")
            without = without[0]
            with_rf = d.one(l1, l2, haul_text, cabin_text, "With RF", "passenger.km")
            wtt = d.wtt_of(without)
            wtt_rf = d.wtt_of(with_rf)
            ttw = d.value(without)
            total_rf = d.value(with_rf)
            wtt_value = d.value(wtt)
            check(d.value(wtt_rf) == wtt_value, f"DESNZ: WTT differs with/without RF for {haul}")
            for v in (without, with_rf):
                check(len(v[DESNZ_VALUE].strip().split(".")[1]) <= 5,
                      f"DESNZ {v['ID']}: more than 5 decimals")
            diff = total_rf - ttw
            non_co2 = round(diff, 5)
            check(abs(non_co2 - diff) < 1e-9 and non_co2 > 0, f"DESNZ {haul}/{cabin}: non-CO2")
            # RF multiplier: with-RF CO2 / without-RF CO2 (CH4, N2O are not uplifted)
            co2_rf = num(d.one(l1, l2, haul_text, cabin_text, "With RF", "passenger.km",
                               ghg="kg CO2e of CO2 per unit")[DESNZ_VALUE], "CO2 with RF")
            co2 = num(d.one(l1, l2, haul_text, cabin_text, "Without RF", "passenger.km",
                            ghg="kg CO2e of CO2 per unit")[DESNZ_VALUE], "CO2 without RF")
            rf_ratios.append(co2_rf / co2)
            notes = []
            if haul == "domestic":
                notes.append("DESNZ 'Domestic' = flights within the UK; the tool uses it for a "
                             "flight within one country. DESNZ has no cabin split for domestic "
                             "flights.")
            if haul == "international":
                notes.append("Flights that neither start nor end in the UK (DESNZ average, "
                             "not banded by distance): an option (flight_bands.international), "
                             "not chosen by distance.")
            if haul == "short" and cabin == "business":
                notes.append("Short-haul has no premium economy or first-class row in DESNZ.")
            out.append(factor(
                fid=f"flight.{haul}.{cabin}", mode="flight",
                variant={"haul": haul, "cabin": cabin},
                default=(haul == "short" and cabin == "economy"),
                label=f"{haul_text} / {cabin_text}", unit="passenger.km",
                ttw=ttw, wtt=wtt_value, non_co2=non_co2,
                source=f"{DESNZ_SHEET_SOURCE}, Business travel- air (+ WTT- business travel- air)",
                table=Desnz.table_text(without, with_column=False),
                row=f"{without['ID']} (without RF); {with_rf['ID']} (with RF); WTT {wtt['ID']}",
                year=2025, scope=DESNZ_FLIGHT_SCOPE, reliability="A", note=" ".join(notes),
            ))
    return out


def desnz_cars(d):
    out = []
    td_rows = {}
    for size, size_text in CAR_SIZES:
        for fuel, fuel_text in CAR_FUELS:
            note = ""
            scope = DESNZ_LAND_SCOPE
            if fuel in ("bev", "phev"):
                td = d.one("UK electricity T&D for EVs", "Cars (by size)", size_text, "",
                           fuel_text, "km")
                td_rows[(size, fuel)] = td
                what = "charging" if fuel == "bev" else "charging (the electric share)"
                note = (f"Includes the UK-grid electricity generation for {what} "
                        "(DESNZ business-travel convention; UK grid intensity, does not carry "
                        "over to NL or other grids). Transmission and distribution losses are "
                        "separate and NOT included: DESNZ 'UK electricity T&D for EVs' row "
                        f"{td['ID']} = {td[DESNZ_VALUE]} kg CO2e per vehicle-km.")
                scope = DESNZ_EV_SCOPE
            if size == "average" and fuel == "unknown":
                note = ("DESNZ 'Average car, Unknown fuel': the car used when size and fuel are "
                        "not given (PRODUCT.md).")
            f = desnz_land(d, fid=f"car.{size}.{fuel}", mode="car",
                           variant={"size": size, "fuel": fuel},
                           default=(size == "average" and fuel == "unknown"),
                           level1="Business travel- land", level2="Cars (by size)",
                           level3=size_text, column=fuel_text, uom="km",
                           label=f"{size_text} / {fuel_text}", note=note, scope=scope)
            if f is None:
                check(size == "small" and fuel in ("cng", "lpg"),
                      f"DESNZ: unexpected empty car cell {size}/{fuel}")
                continue
            out.append(f)
    return out


def desnz_other(d):
    land, sea = "Business travel- land", "Business travel- sea"
    specs = [
        # (id, mode, variant, level1, level2, level3, uom, label, default, note)
        ("train.national", "train", {"kind": "national"}, land, "Rail", "National rail",
         "passenger.km", "National rail", True, "UK national rail average."),
        ("train.international", "train", {"kind": "international"}, land, "Rail",
         "International rail", "passenger.km", "International rail", False,
         "DESNZ 'International rail' is the Eurostar factor, not a generic international-rail "
         "average."),
        ("coach", "coach", {}, land, "Bus", "Coach", "passenger.km", "Coach", True, ""),
        ("bus.average", "bus", {"kind": "average"}, land, "Bus", "Average local bus",
         "passenger.km", "Average local bus", True, "UK average local bus."),
        ("bus.local_not_london", "bus", {"kind": "local_not_london"}, land, "Bus",
         "Local bus (not London)", "passenger.km", "Local bus (not London)", False, ""),
        ("bus.london", "bus", {"kind": "london"}, land, "Bus", "Local London bus",
         "passenger.km", "Local London bus", False, ""),
        ("tram", "tram", {}, land, "Rail", "Light rail and tram", "passenger.km",
         "Light rail and tram", True, "DESNZ 'Light rail and tram' (UK average)."),
        ("metro", "metro", {}, land, "Rail", "London Underground", "passenger.km",
         "London Underground (metro proxy)", True,
         "London Underground, used as the metro proxy: DESNZ has no generic metro factor."),
        ("taxi.regular", "taxi", {"kind": "regular"}, land, "Taxis", "Regular taxi",
         "passenger.km", "Regular taxi (per passenger-km)", True,
         "Per passenger-km with DESNZ's taxi occupancy assumption."),
        ("taxi.black_cab", "taxi", {"kind": "black_cab"}, land, "Taxis", "Black cab",
         "passenger.km", "Black cab (per passenger-km)", False,
         "Per passenger-km with DESNZ's taxi occupancy assumption."),
        ("taxi.regular_vkm", "taxi", {"kind": "regular_vkm"}, land, "Taxis", "Regular taxi",
         "km", "Regular taxi (per vehicle-km)", False,
         "Per vehicle-km (whole taxi): divide by the number of passengers."),
        ("taxi.black_cab_vkm", "taxi", {"kind": "black_cab_vkm"}, land, "Taxis", "Black cab",
         "km", "Black cab (per vehicle-km)", False,
         "Per vehicle-km (whole taxi): divide by the number of passengers."),
        ("motorbike.small", "motorbike", {"size": "small"}, land, "Motorbike", "Small", "km",
         "Motorbike, small", False, ""),
        ("motorbike.medium", "motorbike", {"size": "medium"}, land, "Motorbike", "Medium", "km",
         "Motorbike, medium", False, ""),
        ("motorbike.large", "motorbike", {"size": "large"}, land, "Motorbike", "Large", "km",
         "Motorbike, large", False, ""),
        ("motorbike.average", "motorbike", {"size": "average"}, land, "Motorbike", "Average",
         "km", "Motorbike, average", True, ""),
        ("ferry.foot", "ferry", {"kind": "foot"}, sea, "Ferry", "Foot passenger",
         "passenger.km", "Ferry, foot passenger", True, ""),
        ("ferry.car", "ferry", {"kind": "car"}, sea, "Ferry", "Car passenger", "passenger.km",
         "Ferry, car passenger", False,
         "Passenger travelling with a car on board (the car's share is included)."),
        ("ferry.average", "ferry", {"kind": "average"}, sea, "Ferry", "Average (all passenger)",
         "passenger.km", "Ferry, average (all passengers)", False, ""),
    ]
    out = []
    for fid, mode, variant, l1, l2, l3, uom, label, default, note in specs:
        f = desnz_land(d, fid=fid, mode=mode, variant=variant, level1=l1, level2=l2, level3=l3,
                       column="", uom=uom, label=label, default=default, note=note)
        check(f is not None, f"DESNZ: empty value for {fid}")
        out.append(f)
    return out


def desnz_check_complete(d):
    """Every non-empty DESNZ business-travel and WTT 'kg CO2e' row in scope must be used."""
    skipped = 0
    for r in d.rows:
        if r["_file"] == DESNZ_TD_FILE or r["GHG/Unit"] != "kg CO2e":
            continue
        if r[DESNZ_VALUE].strip() == "":
            continue
        if r["UOM"] == "miles" or "market segment" in r["Level 2"]:
            skipped += 1
            continue
        check(r["ID"] in d.used, f"DESNZ row {r['ID']} ({Desnz.table_text(r)}) not used")
    return skipped


def desnz_cross_check_md(factors, md_text):
    """Compare every DESNZ factor with the tables in emission_factors.md §1.3-1.5, both ways."""
    by_id = {f["id"]: f for f in factors}
    seen = set()

    _, rows = md_table(md_text, "### 1.3")
    for cells in rows:
        haul_text, cabin_text = cells[0].split(" / ")
        haul = dict((t, h) for h, t in FLIGHT_HAULS)[haul_text]
        cabin = dict((t, c) for c, t in FLIGHT_CABINS)[cabin_text]
        f = by_id[f"flight.{haul}.{cabin}"]
        with_rf, without, wtt = float(cells[3]), float(cells[4]), float(cells[5])
        check(f["ttw"] == without and f["wtt"] == wtt, f"md 1.3 mismatch {f['id']}")
        check(abs(f["ttw"] + f["non_co2"] - with_rf) < 1e-9, f"md 1.3 RF mismatch {f['id']}")
        seen.add(f["id"])

    header, rows = md_table(md_text, "### 1.4")
    md_fuels = {"Petrol": "petrol", "Diesel": "diesel", "Hybrid": "hybrid", "PHEV": "phev",
                "BEV": "bev", "Unknown fuel": "unknown", "CNG": "cng", "LPG": "lpg"}
    for cells in rows:
        size = dict((t, s) for s, t in CAR_SIZES)[cells[0]]
        for col, cell in zip(header[1:], cells[1:]):
            fid = f"car.{size}.{md_fuels[col]}"
            if cell == "n/a (+n/a)":
                check(fid not in by_id, f"md 1.4 says n/a but pack has {fid}")
                continue
            m = re.fullmatch(r"([0-9.]+) \(\+([0-9.]+)\)", cell)
            check(m is not None, f"md 1.4: cannot read {cell!r}")
            f = by_id[fid]
            check(f["ttw"] == float(m.group(1)) and f["wtt"] == float(m.group(2)),
                  f"md 1.4 mismatch {fid}")
            seen.add(fid)

    _, rows = md_table(md_text, "### 1.5")
    by_label = {}
    for f in factors:
        level3 = f["table"].split(" / ")[2]
        by_label[(level3, f["unit"])] = f
    for cells in rows:
        f = by_label[(cells[1], cells[2])]
        check(f["ttw"] == float(cells[3]) and f["wtt"] == float(cells[4]),
              f"md 1.5 mismatch {f['id']}")
        seen.add(f["id"])

    check(seen == set(by_id), f"md tables do not cover {sorted(set(by_id) - seen)}")


def build_desnz(ref_dir, md_text):
    d = Desnz(os.path.join(ref_dir, "desnz-2025"))
    rf_ratios = []
    factors = desnz_flights(d, rf_ratios) + desnz_other(d) + desnz_cars(d)
    # Keep a readable order: flights, rail, road public transport, car, taxi, two-wheelers, sea.
    order = ["flight", "train", "coach", "bus", "tram", "metro", "car", "taxi", "motorbike",
             "ferry"]
    factors.sort(key=lambda f: order.index(f["mode"]))  # stable: keeps the order within a mode
    skipped = desnz_check_complete(d)
    desnz_cross_check_md(factors, md_text)

    check(len(rf_ratios) == 14, f"DESNZ: expected 14 flight rows, found {len(rf_ratios)}")
    check(all(abs(r - 1.7) < 0.001 for r in rf_ratios), f"DESNZ RF ratios {rf_ratios}")

    by_id = {f["id"]: f for f in factors}
    expected = {  # spot checks from the brief and emission_factors.md §0
        "car.average.unknown": {"ttw": 0.16725, "wtt": 0.04399, "non_co2": 0.0},
        "flight.short.economy": {"ttw": 0.07435, "wtt": 0.02249, "non_co2": 0.05141},
        "flight.international.economy": {"ttw": 0.06449, "wtt": 0.01656, "non_co2": 0.04467},
        "train.national": {"ttw": 0.03546, "wtt": 0.00897},
        "train.international": {"ttw": 0.00446, "wtt": 0.00117},
        "coach": {"ttw": 0.02776, "wtt": 0.00656},
    }
    for fid, values in expected.items():
        for k, v in values.items():
            check(by_id[fid][k] == v, f"DESNZ {fid}.{k} = {by_id[fid][k]}, expected {v}")

    pack = {
        "id": "desnz-2025",
        "name": "UK DESNZ GHG conversion factors 2025 (business travel)",
        "publisher": "UK Department for Energy Security and Net Zero",
        "year": 2025,
        "licence": "Open Government Licence v3.0",
        "url": "https://www.gov.uk/government/publications/"
               "greenhouse-gas-reporting-conversion-factors-2025",
        "description": (
            "DESNZ 2025 business-travel factors from the flat file (sheets Business travel- "
            "air/land/sea and the matching WTT sheets): flights by haul and cabin, cars by size "
            "x fuel, motorbikes, taxis, buses, coach, rail, light rail/tram, London Underground "
            "(metro proxy) and ferries. Per-mile rows and cars by market segment (Mini ... MPV) "
            "are not included; the size x fuel grid covers them. DESNZ has no bicycle, e-bike, "
            "walking, e-scooter or moped factor: those modes use the fallback pack. Values as "
            "in the flat file; flight non-CO2 parts are rounded to 5 decimals (the source "
            "precision)."
        ),
        "boundary": ("well-to-wheel (TTW + WTT); flights with RF as a separate non-CO2 part; "
                     "no vehicle construction or infrastructure; EV charging at UK-grid "
                     "intensity, T&D losses excluded"),
        "fallback_pack": "ademe-2025",
        "conventions": {
            "detour": DETOUR,
            "detour_source": DETOUR_SOURCE,
            "flight_distance": {
                "kind": "none",
                "note": ("DESNZ flight factors already include the 8 % great-circle distance "
                         "uplift: nothing is added to the great-circle distance."),
            },
            "flight_bands": {
                "basis": "great_circle_km",
                "domestic": "domestic",
                "international": "international",
                "max_inclusive": False,
                "bands": [{"id": "short", "max_km": 3700}, {"id": "long", "max_km": None}],
                "note": (
                    "Haul by great-circle km (before the uplift): short-haul below 3700 km, "
                    "long-haul from 3700 km (DESNZ's boundary for flights to/from the UK). For "
                    "an organisation outside the UK (PRODUCT.md) the same split is applied to "
                    "every non-domestic flight, and the 'domestic' factor to a flight within "
                    "one country. Option: 'international' = DESNZ 'International, to/from "
                    "non-UK', one distance-independent average for flights that neither start "
                    "nor end in the UK (the tier DESNZ itself intends for non-UK flights); it "
                    "is used only when asked for."
                ),
            },
            "rf": {
                "multiplier": 1.7,
                "note": (
                    "DESNZ 'with RF' = CO2 component x 1.7 (CH4 and N2O not uplifted): with-RF "
                    "CO2 / without-RF CO2 = 1.700 for all 14 flight rows of the 2025 flat file "
                    "(checked by the generator; e.g. domestic 0.22771 / 0.13395), so the total "
                    "ratio is about 1.69. non_co2 = (with RF - without RF) total, rounded to 5 "
                    "decimals; ttw is the without-RF total."
                ),
            },
        },
        "factors": factors,
    }
    return pack, skipped


# ---------------------------------------------------------------------------------------------
# ADEME Impact CO2
# ---------------------------------------------------------------------------------------------

ADEME_SOURCE = ("ADEME Impact CO2 (github:incubateur-ademe/impactco2 @8076a48, "
                "src/data/categories/deplacement.ts), ADEME Base Carbone values")
ADEME_SCOPE = ("life cycle: vehicle construction (manufacture, maintenance, end of life) + WTW "
               "energy; infrastructure excluded")
ADEME_FLIGHT_SCOPE = ("life cycle: aircraft construction + WTW fuel + contrails (non-CO2); "
                      "infrastructure excluded; no distance uplift")
FRENCH_GRID = "Electricity at the French grid mix (low carbon); does not carry over to other grids."
ADEME_CAR_NOTE = "Per car-km with the driver alone: divide by occupancy (Impact CO2 carpool rule)."

# (CSV variant, md mode, id, mode, variant, label, unit check, default, slug, note)
ADEME_ROWS = [
    ("court courrier (<= 1000 km; shown from 300 km)", "flight", "flight.short.average",
     "flight", {"haul": "short", "cabin": "average"}, "Court-courrier (up to 1000 km)", False,
     "avion / courtcourrier",
     "Impact CO2 shows this option from 300 km; the factor is used below 300 km too."),
    ("moyen courrier (1001-2000 km)", "flight", "flight.medium.average", "flight",
     {"haul": "medium", "cabin": "average"}, "Moyen-courrier (1000-2000 km)", True,
     "avion / moyencourrier",
     "Default flight: 1000-2000 km covers a typical intra-European trip from the Netherlands."),
    ("moyen-long courrier (2001-5000 km)", "flight", "flight.medium_long.average", "flight",
     {"haul": "medium_long", "cabin": "average"}, "Moyen-long-courrier (2000-5000 km)", False,
     "avion / moyenlongcourrier", ""),
    ("long courrier (> 5000 km)", "flight", "flight.long.average", "flight",
     {"haul": "long", "cabin": "average"}, "Long-courrier (over 5000 km)", False,
     "avion / longcourrier", ""),
    ("TGV", "rail", "train.tgv", "train", {"kind": "tgv"}, "TGV (French high-speed train)",
     False, "tgv", FRENCH_GRID),
    ("Intercites", "rail", "train.intercites", "train", {"kind": "intercites"},
     "Intercités (French intercity train)", False, "intercites", FRENCH_GRID),
    ("TER", "rail", "train.ter", "train", {"kind": "ter"}, "TER (French regional train)", True,
     "ter",
     "Default train: TER, the generic regional train with electric and diesel traction and the "
     "highest of the four French rail factors. TGV, Intercités and RER rest on French nuclear "
     "power and high load factors and would understate most trains outside France. "
     + FRENCH_GRID),
    ("RER / Transilien", "rail", "train.rer", "train", {"kind": "rer"},
     "RER / Transilien (Paris suburban train)", False, "rer", FRENCH_GRID),
    ("Tramway", "tram", "tram", "tram", {}, "Tramway", True, "tramway", FRENCH_GRID),
    ("Metro", "metro", "metro", "metro", {}, "Métro", True, "metro", FRENCH_GRID),
    ("Autocar (coach)", "bus", "coach", "coach", {}, "Autocar (coach)", True, "autocar", ""),
    ("Bus thermique", "bus", "bus.thermal", "bus", {"kind": "thermal"},
     "Bus thermique (diesel bus)", True, "busthermique", ""),
    ("Bus electrique", "bus", "bus.electric", "bus", {"kind": "electric"},
     "Bus électrique (electric bus)", False, "buselectrique", FRENCH_GRID),
    ("Bus GNV", "bus", "bus.cng", "bus", {"kind": "cng"}, "Bus GNV (natural gas bus)", False,
     "not confirmed (row added after the stored copy of deplacement.ts that was read)", ""),
    ("Voiture thermique (default = compact/medium diesel)", "car", "car.average.unknown", "car",
     {"size": "average", "fuel": "unknown"}, "Voiture thermique (Impact CO2 default car)", True,
     "voiturethermique",
     "Fuel unknown: Impact CO2's documented default car, 'Voiture thermique', which equals the "
     "compact (medium) diesel car; ADEME has no fleet-average or unknown-fuel car. "
     + ADEME_CAR_NOTE),
    ("Voiture electrique (default = compact/medium)", "car", "car.average.bev", "car",
     {"size": "average", "fuel": "bev"}, "Voiture électrique (Impact CO2 default EV)", False,
     "voitureelectrique",
     "Impact CO2's generic electric car = the compact (medium) EV. " + FRENCH_GRID + " "
     + ADEME_CAR_NOTE),
    ("Voiture hybride (compact, non-plug-in)", "car", "car.average.hybrid", "car",
     {"size": "average", "fuel": "hybrid"}, "Voiture hybride (Impact CO2 generic hybrid)",
     False, "voiturehybride",
     "Impact CO2's generic hybrid car = the compact (medium) non-plug-in hybrid. "
     + ADEME_CAR_NOTE),
]
_ADEME_SIZES = (("citadine (small)", "small", "Citadine", "citadine"),
                ("compact (medium)", "medium", "Compacte", "compact"),
                ("berline (sedan)", "large", "Berline", "berline"),
                ("grande berline (SUV)", "suv", "Grande berline / SUV", "grandeberline"))
_ADEME_FUELS = (("essence", "petrol", "essence", "essence"),
                ("diesel", "diesel", "diesel", "diesel"),
                ("electrique", "bev", "électrique", "electrique"),
                ("hybride", "hybrid", "hybride", "hybride"),
                ("hybride rechargeable", "phev", "hybride rechargeable", "hybriderechargeable"))
for _csv_size, _size, _size_label, _size_slug in _ADEME_SIZES:
    for _csv_fuel, _fuel, _fuel_label, _fuel_slug in _ADEME_FUELS:
        _note = ADEME_CAR_NOTE
        if _fuel in ("bev", "phev"):
            _note = FRENCH_GRID + " " + ADEME_CAR_NOTE
        if _size == "suv":
            _note = "Impact CO2 'grande berline' (SUV). " + _note
        ADEME_ROWS.append((
            f"{_csv_size} / {_csv_fuel}", "car", f"car.{_size}.{_fuel}", "car",
            {"size": _size, "fuel": _fuel}, f"{_size_label} {_fuel_label}", False,
            f"voiture-{_size_slug}-{_fuel_slug}", _note))
ADEME_ROWS += [
    ("Velo (bicycle)", "bike", "bike", "bike", {}, "Vélo (bicycle)", True, "velo", ""),
    ("Marche (walking)", "walk", "walk", "walk", {}, "Marche (walking)", True, "marche", ""),
    ("Velo a assistance electrique", "e-bike", "ebike", "ebike", {},
     "Vélo à assistance électrique (e-bike)", True, "veloelectrique", FRENCH_GRID),
    ("Trottinette electrique", "e-scooter", "escooter", "escooter", {},
     "Trottinette électrique (e-scooter)", True, "trottinette", FRENCH_GRID),
    ("Scooter ou moto legere (thermal)", "moped", "moped.thermal", "moped",
     {"kind": "thermal"}, "Scooter ou moto légère (petrol moped)", True, "scooter", ""),
    ("Scooter electrique", "moped", "moped.electric", "moped", {"kind": "electric"},
     "Scooter électrique (electric moped)", False, "scooterelectrique", FRENCH_GRID),
    ("Moto > 250 cm3", "motorbike", "motorbike.large", "motorbike", {"size": "large"},
     "Moto > 250 cm3", True, "moto",
     "Impact CO2's generic motorbike. Size 'large' here means over 250 cm3 (DESNZ sizes differ: "
     "small < 125 cm3, medium 125-500 cm3, large > 500 cm3)."),
    ("Moto <= 250 cm3", "motorbike", "motorbike.small", "motorbike", {"size": "small"},
     "Moto ≤ 250 cm3", False, "moto-petite",
     "Size 'small' here means up to 250 cm3. Values as in the Impact CO2 file, but odd: "
     "construction 0.0705 is larger than energy 0.0167 (looks swapped; flagged in "
     "emission_factors.md) - check upstream before relying on it."),
]

ADEME_COMPONENTS = re.compile(
    r"construction=([0-9.eE+-]+); fuel/energy=([0-9.eE+-]+); contrails=([0-9.eE+-]+)")


def build_ademe(ref_rows, md_text):
    rows = [r for r in ref_rows
            if r["source"].startswith("ADEME Base Carbone via Impact CO2")
            and r["scope"] != "lifecycle without contrails"]
    no_contrails = {r["variant"]: r for r in ref_rows
                    if r["source"].startswith("ADEME Base Carbone via Impact CO2")
                    and r["scope"] == "lifecycle without contrails"}
    check(len(rows) == len(ADEME_ROWS) == 45,
          f"ADEME: {len(rows)} source rows, {len(ADEME_ROWS)} mapped (expected 45)")
    by_variant = {r["variant"]: r for r in rows}
    check(len(by_variant) == len(rows), "ADEME: duplicate variant labels")
    _, md_rows = md_table(md_text, "## 3.")
    check(len(md_rows) == 45, f"ADEME md table has {len(md_rows)} rows, expected 45")

    factors = []
    for (csv_variant, csv_mode, fid, mode, variant, label, default, slug, note), md in zip(
            ADEME_ROWS, md_rows):
        r = by_variant.pop(csv_variant)  # KeyError = mapping out of date
        check(r["mode"] == csv_mode == md[0], f"ADEME {fid}: mode {r['mode']} / {md[0]}")
        m = ADEME_COMPONENTS.match(r["notes"])
        check(m is not None, f"ADEME {fid}: components not found in {r['notes']!r}")
        construction, energy, contrails = (num(m.group(i), f"ADEME {fid}") for i in (1, 2, 3))
        total = num(r["kg_co2e_per_unit"], f"ADEME {fid} total")
        check(abs(total - (construction + energy + contrails)) <= 5e-7,
              f"ADEME {fid}: total {total} != sum of components")
        if mode == "flight":
            nc = num(no_contrails[csv_variant]["kg_co2e_per_unit"], f"ADEME {fid} no contrails")
            check(abs(nc - (construction + energy)) <= 5e-7, f"ADEME {fid}: without contrails")
            check(contrails > 0, f"ADEME {fid}: flight without contrails component")
        else:
            check(contrails == 0.0, f"ADEME {fid}: contrails on a ground mode")
        # Independent cross-check with the rounded table in emission_factors.md §3.
        shown_equals(md[3], total, f"ADEME {fid} total")
        md_parts = [p.strip() for p in md[4].split("/")]
        for shown, value in zip(md_parts, (construction, energy, contrails)):
            shown_equals(shown, value, f"ADEME {fid} component")
        unit = r["unit"]
        check(unit == md[2] and unit in UNITS, f"ADEME {fid}: unit {unit} / {md[2]}")
        check(unit == ("vehicle.km" if mode == "car" else "passenger.km"), f"ADEME {fid}: unit")
        if mode == "flight":
            note = ("ADEME has no cabin split: one factor for all passengers (cabin 'average'). "
                    + note).strip()
        factors.append(factor(
            fid=fid, mode=mode, variant=variant, default=default, label=label, unit=unit,
            energy_wtw=energy, non_co2=contrails, construction=construction,
            source=ADEME_SOURCE,
            table=("Impact CO2 deplacement.ts (ecv 5 construction / 6 carburant / 7 trainées "
                   "de condensation)"),
            row=f"emission_factors.csv variant '{csv_variant}'; Impact CO2 slug {slug}",
            year=2025, scope=ADEME_FLIGHT_SCOPE if mode == "flight" else ADEME_SCOPE,
            reliability="A", note=note,
        ))
    check(not by_variant, f"ADEME rows not mapped: {sorted(by_variant)}")

    by_id = {f["id"]: f for f in factors}
    for fid, (c, e, n) in {  # spot checks against emission_factors.md §3 / Impact CO2 source
        "flight.short.average": (0.000372, 0.1232, 0.101),
        "train.ter": (0.00479, 0.0229, 0.0),
        "car.medium.diesel": (0.03169565217391306, 0.1105577600556303, 0.0),
        "car.average.unknown": (0.03169565217391306, 0.1105577600556303, 0.0),
        "motorbike.small": (0.0705, 0.0167, 0.0),
    }.items():
        f = by_id[fid]
        check((f["construction"], f["energy_wtw"], f["non_co2"]) == (c, e, n),
              f"ADEME spot check {fid}")

    pack = {
        "id": "ademe-2025",
        "name": "ADEME Impact CO2 transport factors (Base Carbone, life cycle)",
        "publisher": "ADEME (Agence de la transition écologique), Impact CO2 / impactco2.fr",
        "year": 2025,
        "licence": ("Impact CO2 source code: MIT (github:incubateur-ademe/impactco2). Licence of "
                    "the Base Carbone values not verified here (ADEME publishes Base Carbone as "
                    "open data; check the terms before redistribution beyond this tool)."),
        "url": "https://impactco2.fr/outils/transport",
        "description": (
            "Life-cycle factors as shipped by ADEME's Impact CO2 comparator (repository HEAD "
            "8076a48 of 2026-07-01, transport values updated 2025-10-16; cars from ADEME's "
            "'Modélisation de l'empreinte carbone de la voiture - 2025'). Each factor keeps "
            "Impact CO2's components: construction (vehicle manufacture, maintenance, end of "
            "life), energy (fuel or electricity, production and use: WTW, not split into "
            "TTW/WTT) and contrails (flights only). Electricity at the French grid mix. Cars "
            "per car-km with the driver alone; all other modes per passenger-km. No taxi or "
            "ferry factor, and no fallback pack."
        ),
        "boundary": ("life cycle: vehicle construction + WTW energy (not split) + contrails for "
                     "flights; infrastructure excluded"),
        "fallback_pack": None,
        "conventions": {
            "detour": DETOUR,
            "detour_source": (
                "ADEME/Impact CO2 uses routed distances (Google Distance Matrix for car, foot "
                "and rail) and no detour for planes. This pack approximates routed distances "
                "with the same GES 1point5 detour multipliers as the other packs. "
                + DETOUR_SOURCE
            ),
            "flight_distance": {
                "kind": "none",
                "note": ("Impact CO2 uses the plain great-circle (haversine) distance for "
                         "planes and adds no detour or uplift: nothing is added."),
            },
            "flight_bands": {
                "basis": "great_circle_km",
                "domestic": None,
                "international": None,
                "max_inclusive": True,
                "bands": [{"id": "short", "max_km": 1000}, {"id": "medium", "max_km": 2000},
                          {"id": "medium_long", "max_km": 5000}, {"id": "long", "max_km": None}],
                "note": (
                    "Impact CO2 picks the first band whose max is >= the distance, so max_km is "
                    "INCLUSIVE here (max_inclusive: true): court-courrier up to and including "
                    "1000 km, moyen-courrier up to 2000 km, moyen-long-courrier up to 5000 km, "
                    "long-courrier beyond. No domestic tier: a domestic flight takes its band "
                    "by distance. No cabin split."
                ),
            },
            "rf": {
                "multiplier": None,
                "note": (
                    "Impact CO2 gives the contrails / non-CO2 effect as its own component (ecv "
                    "7, 'Traînées de condensation'), stored as non_co2 and included by default "
                    "as Impact CO2 does; --no-rf drops it (like Impact CO2's "
                    "ignoreRadiativeForcing). No multiplier is published: the component is "
                    "about 0.82 x the energy component, consistent with (not confirmed) "
                    "contrails = combustion CO2 x (2 - 1)."
                ),
            },
        },
        "factors": factors,
    }
    return pack


# ---------------------------------------------------------------------------------------------
# Dutch list (CO2emissiefactoren.nl), only the values that could be sourced
# ---------------------------------------------------------------------------------------------

NL_VERIFY = ("Must be verified against the official list (co2emissiefactoren.nl, download "
             "under 'Wijzigingen overzicht') before use in a published inventory.")
NL_WTW = ("WTW (WTT + TTW) as the list publishes it; the WTT/TTW split was not found, so the "
          "whole value is stored as energy_wtw (ttw = wtt = 0).")
NL_FLIGHT = ("RF (non-CO2) treatment and distance convention of the Dutch flight factors are "
             "unknown: any non-CO2 share is inside energy_wtw, so --no-rf does not change it. "
             "No cabin split (cabin 'average').")
NL_SEED_SOURCE = ("co2emissiefactoren.nl (Stimular / Milieu Centraal / SKAO / Connekt / RWS) as "
                  "carried by a third-party seed file (gauges started_on 2025-01-01), unverified")

# (CSV variant, md item prefix, id, mode, variant, label, default, reliability, source, extra)
NL_ROWS = [
    ("< 700 km (short haul average)", "Vliegtuig < 700 km", "flight.short.average", "flight",
     {"haul": "short", "cabin": "average"}, "Vliegtuig < 700 km", False, "C", NL_SEED_SOURCE,
     NL_FLIGHT),
    ("700-2500 km (medium haul average)", "Vliegtuig 700–2500 km", "flight.medium.average",
     "flight", {"haul": "medium", "cabin": "average"}, "Vliegtuig 700-2500 km", True, "C",
     NL_SEED_SOURCE,
     NL_FLIGHT + " Default flight: 700-2500 km covers most European trips from the Netherlands."),
    ("> 2500 km (long haul average)", "Vliegtuig > 2500 km", "flight.long.average", "flight",
     {"haul": "long", "cabin": "average"}, "Vliegtuig > 2500 km", False, "C", NL_SEED_SOURCE,
     NL_FLIGHT),
    ("fuel unknown", "Personenauto, brandstof onbekend", "car.average.unknown", "car",
     {"size": "average", "fuel": "unknown"}, "Personenauto, brandstof onbekend", True, "C",
     NL_SEED_SOURCE, "Unit in the seed is 'km', taken as vehicle-km."),
    ("petrol, medium (950-1350 kg)", "Personenauto benzine, middel", "car.medium.petrol", "car",
     {"size": "medium", "fuel": "petrol"}, "Personenauto benzine, middel (950-1350 kg)", False,
     "C", NL_SEED_SOURCE,
     "Same 204 g/km quoted by corekees.com (blog, 2022). Unit taken as vehicle-km."),
    ("diesel, medium (1050-1450 kg)", "Personenauto diesel, middel", "car.medium.diesel", "car",
     {"size": "medium", "fuel": "diesel"}, "Personenauto diesel, middel (1050-1450 kg)", False,
     "C", NL_SEED_SOURCE,
     "Same 180 g/km quoted by corekees.com (blog, 2022). Unit taken as vehicle-km."),
    ("battery electric, grey (NL grid) electricity", "Personenauto elektrisch, grijze stroom",
     "car.average.bev", "car", {"size": "average", "fuel": "bev"},
     "Personenauto elektrisch, grijze stroom", False, "B",
     "co2emissiefactoren.nl official change log (22-01-2024), same value in the 2025 seed file",
     "Change log 22-01-2024: WTW/WTT for 'Personenauto's, Batterij/Elektrisch/Grijze stroom' "
     "corrected from 1,09 to 0,109 kg CO2/eenheid. Grey (average NL grid) electricity. Unit "
     "taken as vehicle-km."),
]

NL_EXPECTED = {  # the values named in the brief / emission_factors.md §0
    "flight.short.average": 0.234, "flight.medium.average": 0.172, "flight.long.average": 0.157,
    "car.average.unknown": 0.193, "car.medium.petrol": 0.204, "car.medium.diesel": 0.180,
    "car.average.bev": 0.109,
}


def build_nl(ref_rows, md_text):
    rows = {r["variant"]: r for r in ref_rows if r["source"].startswith("co2emissiefactoren.nl")}
    check(len(rows) == len(NL_ROWS), f"NL: {len(rows)} source rows, {len(NL_ROWS)} mapped")
    _, md_rows = md_table(md_text, "| Item (seed label")  # the §2 table starts at its header
    factors = []
    for csv_variant, md_prefix, fid, mode, variant, label, default, rel, source, extra in NL_ROWS:
        r = rows.pop(csv_variant)
        check(r["mode"] == mode, f"NL {fid}: mode {r['mode']}")
        value = num(r["kg_co2e_per_unit"], f"NL {fid}")
        check(r["unit"] in UNITS, f"NL {fid}: unit {r['unit']}")
        md = [c for c in md_rows if c[0].startswith(md_prefix)]
        check(len(md) == 1, f"NL {fid}: md row {md_prefix!r} not found once")
        check(abs(float(md[0][1].replace("*", "")) / 1000 - value) < 1e-12, f"NL {fid}: md value")
        check(value == NL_EXPECTED[fid], f"NL {fid}: {value} != {NL_EXPECTED[fid]}")
        factors.append(factor(
            fid=fid, mode=mode, variant=variant, default=default, label=label, unit=r["unit"],
            energy_wtw=value, source=source, table="CO2emissiefactoren.nl, Personenvervoer",
            row=f"emission_factors.csv variant '{csv_variant}' (list item '{md_prefix}')",
            year=2025, scope="WTW (WTT + TTW) as published, not split",
            reliability=rel, note=" ".join([NL_VERIFY, NL_WTW, extra]),
        ))
    check(not rows, f"NL rows not mapped: {sorted(rows)}")

    pack = {
        "id": "nl-2025",
        "name": "CO2emissiefactoren.nl (Dutch list), partial: only sourced values",
        "publisher": ("Stimular, Milieu Centraal, SKAO, Connekt and Rijkswaterstaat "
                      "(co2emissiefactoren.nl)"),
        "year": 2025,
        "licence": "not verified (the list is published for free public use; terms not checked)",
        "url": "https://www.co2emissiefactoren.nl/",
        "description": (
            "The Dutch list could not be opened directly. This pack holds only the values that "
            "could be sourced: three flight distance bands and four cars, from a third-party "
            "seed file (reliability C) and, for the battery-electric car, the list's official "
            "change log (B). Every value must be verified against the official list. Not "
            "found, so taken from the fallback pack (DESNZ 2025) and reported: train, bus, "
            "tram, metro, coach, ferry, taxi, motorbike, other car sizes and fuels. Bike, e-bike, "
            "e-scooter, moped and walk are in neither pack (DESNZ's own fallback is "
            "ademe-2025). The e-scooter value "
            "of 23 g/pkm is left out: it comes only from a 2022 blog quoting an older list, "
            "with no source given."
        ),
        "boundary": ("well-to-wheel (WTW = WTT + TTW) as published by the list, not split; "
                     "non-CO2 treatment of flights unknown"),
        "fallback_pack": "desnz-2025",
        "conventions": {
            "detour": DETOUR,
            "detour_source": ("The Dutch list publishes no detour convention; this pack uses "
                              "the same GES 1point5 multipliers as the other packs. "
                              + DETOUR_SOURCE),
            "flight_distance": {
                "kind": "none",
                "note": ("Whether the Dutch flight factors assume a detour or distance uplift "
                         "is unknown; nothing is added to the great-circle distance."),
            },
            "flight_bands": {
                "basis": "great_circle_km",
                "domestic": None,
                "international": None,
                "max_inclusive": False,
                "bands": [{"id": "short", "max_km": 700}, {"id": "medium", "max_km": 2500},
                          {"id": "long", "max_km": None}],
                "note": (
                    "List bands < 700 km, 700-2500 km and > 2500 km. A band applies when "
                    "great_circle_km < max_km, so exactly 700 km is 'medium' and exactly 2500 "
                    "km is 'long' (the list's wording leaves 2500 km itself open). Whether the "
                    "list means great-circle or travelled distance is unknown."
                ),
            },
            "rf": {
                "multiplier": None,
                "note": (
                    "Unknown whether the Dutch flight factors include non-CO2 effects (RF): "
                    "the published WTW value is stored whole in energy_wtw, non_co2 = 0, so "
                    "RF on/off makes no difference for this pack."
                ),
            },
        },
        "factors": factors,
    }
    return pack


# ---------------------------------------------------------------------------------------------
# Pack validation and output
# ---------------------------------------------------------------------------------------------

def validate(pack, known_packs):
    check(pack["fallback_pack"] is None or pack["fallback_pack"] in known_packs,
          f"{pack['id']}: unknown fallback pack")
    check(set(pack["conventions"]["detour"]) == set(MODES), f"{pack['id']}: detour modes")
    ids = [f["id"] for f in pack["factors"]]
    check(len(ids) == len(set(ids)), f"{pack['id']}: duplicate factor ids")
    defaults = {}
    variants = set()
    for f in pack["factors"]:
        check(f["mode"] in MODES, f"{f['id']}: unknown mode")
        check(f["id"] == f["mode"] or f["id"].startswith(f["mode"] + "."), f"{f['id']}: id")
        check(set(f["variant"]) <= set(VARIANT_KEYS), f"{f['id']}: variant keys")
        key = (f["mode"], tuple(sorted(f["variant"].items())))
        check(key not in variants, f"{f['id']}: duplicate variant")
        variants.add(key)
        check(f["unit"] in UNITS, f"{f['id']}: unit")
        check(f["reliability"] in RELIABILITY, f"{f['id']}: reliability")
        check(isinstance(f["default"], bool), f"{f['id']}: default")
        parts = [f[k] for k in ("ttw", "wtt", "energy_wtw", "non_co2", "construction")]
        check(all(isinstance(p, float) and math.isfinite(p) and p >= 0 for p in parts),
              f"{f['id']}: parts")
        check(sum(parts) > 0 or f["mode"] == "walk", f"{f['id']}: all parts zero")
        if f["default"]:
            check(f["mode"] not in defaults, f"{pack['id']}: two defaults for {f['mode']}")
            defaults[f["mode"]] = f["id"]
    modes = {f["mode"] for f in pack["factors"]}
    check(set(defaults) == modes, f"{pack['id']}: modes without default {modes - set(defaults)}")
    band_ids = {b["id"] for b in pack["conventions"]["flight_bands"]["bands"]}
    hauls = {f["variant"]["haul"] for f in pack["factors"] if f["mode"] == "flight"}
    fb = pack["conventions"]["flight_bands"]
    check(band_ids <= hauls, f"{pack['id']}: flight band without factors")
    check(hauls <= band_ids | {fb["domestic"], fb["international"]} - {None},
          f"{pack['id']}: flight haul not reachable")
    maxes = [b["max_km"] for b in fb["bands"]]
    check(maxes[-1] is None and all(isinstance(m, int) for m in maxes[:-1])
          and maxes[:-1] == sorted(maxes[:-1]), f"{pack['id']}: band order")
    return defaults


def render(pack):
    return json.dumps(pack, indent=2, ensure_ascii=False) + "\n"


def main(argv):
    args = [a for a in argv[1:] if not a.startswith("--")]
    flags = [a for a in argv[1:] if a.startswith("--")]
    if len(args) != 2 or any(f != "--check" for f in flags):
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    ref_dir, out_dir = args
    with open(os.path.join(ref_dir, "emission_factors.md"), encoding="utf-8") as f:
        md_text = f.read()
    with open(os.path.join(ref_dir, "emission_factors.csv"), newline="", encoding="utf-8") as f:
        ref_rows = list(csv.DictReader(f))

    desnz, skipped = build_desnz(ref_dir, md_text)
    packs = [desnz, build_ademe(ref_rows, md_text), build_nl(ref_rows, md_text)]
    known = {p["id"] for p in packs}

    stale = []
    for pack in packs:
        defaults = validate(pack, known)
        text = render(pack)
        check(json.loads(text) == pack, f"{pack['id']}: JSON round trip")
        path = os.path.join(out_dir, pack["id"] + ".json")
        if "--check" in flags:
            try:
                with open(path, encoding="utf-8") as f:
                    if f.read() != text:
                        stale.append(path)
            except FileNotFoundError:
                stale.append(path)
        else:
            os.makedirs(out_dir, exist_ok=True)
            with open(path, "w", encoding="utf-8", newline="\n") as f:
                f.write(text)
        print(f"{pack['id']}: {len(pack['factors'])} factors; defaults: "
              + ", ".join(f"{m}={fid}" for m, fid in sorted(defaults.items())))
    print(f"desnz-2025: {skipped} per-mile / market-segment rows deliberately not used")
    if stale:
        print("out of date: " + ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
