#!/usr/bin/env python3
"""Writes the SYNTHETIC earlier years of the bundled example (data/examples/ut/years/YYYY/).

Deterministic: the same `footprint` binary gives the same files. Each year is a business
export from `footprint generate business` and a survey from `footprint generate commute`
(own seed, own size), then a year-specific adjustment stated in data/examples/ut/README.md:

- business: every row keeps its journey; `travellers` is doubled on a deterministic share of
  rows (a smaller file stands for more travel) and, for 2019, on every flight row (pre-COVID
  flying);
- commuting: telework days moved back to campus days (2019, before COVID) or one more telework
  day for staff and PhD candidates (2022), and part of the electric and hybrid cars given
  petrol instead (fewer electric cars in earlier years).

Usage: tools/gen_trend_years.py [path/to/footprint]   (default: target/release/footprint)
"""

import csv
import io
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "data" / "examples" / "ut" / "years"

# year: (business rows, share of rows with a doubled traveller count, flights doubled,
#        respondents, telework shift, share of electric/hybrid cars that become petrol,
#        populations staff FTE / phd / students)
YEARS = {
    2019: (4500, 0.8, True, 1100, "none", 0.8, (3100, 900, 11000)),
    2022: (2200, 0.1, False, 900, "more", 0.5, (3200, 950, 11500)),
    2023: (3200, 0.5, False, 1000, "as_generated", 0.35, (3250, 980, 11800)),
    2024: (4000, 0.7, False, 1200, "as_generated", 0.15, (3280, 990, 11900)),
}

ELECTRIC = {"electric", "plug-in hybrid", "hybrid"}


def run(binary, args):
    return subprocess.run([binary, *args], check=True, capture_output=True, text=True).stdout


def business(binary, year, rows, share, flights):
    text = run(binary, ["generate", "business", "--rows", str(rows), "--seed", str(year),
                        "--year", str(year)])
    reader = csv.DictReader(io.StringIO(text))
    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=reader.fieldnames, lineterminator="\n")
    w.writeheader()
    for r in reader:
        n = int(r["id"])
        # Deterministic: the share of rows by id (a fixed stride, not a random draw).
        double = (n * 7919) % 100 < share * 100 or (flights and r["mode"] == "flight")
        if double:
            r["travellers"] = str(int(r["travellers"]) * 2)
        w.writerow(r)
    return out.getvalue()


def survey(binary, year, respondents, telework, petrol_share):
    text = run(binary, ["generate", "commute", "--respondents", str(respondents),
                        "--seed", str(year)])
    reader = csv.DictReader(io.StringIO(text))
    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=reader.fieldnames, lineterminator="\n")
    w.writeheader()
    for i, r in enumerate(reader):
        days = int(r["days_per_week"])
        tw = int(r["telework_days"]) if r["telework_days"] else 0
        if telework == "none" and tw > 0:
            r["days_per_week"] = str(min(5, days + tw))
            r["telework_days"] = "0"
        elif telework == "more" and r["group"] != "student" and days > 1:
            r["days_per_week"] = str(days - 1)
            r["telework_days"] = str(tw + 1)
        if r["fuel"] in ELECTRIC and (i * 7919) % 100 < petrol_share * 100:
            r["fuel"] = "petrol"
        w.writerow(r)
    return out.getvalue()


def config(year, pops, rail):
    staff, phd, students = pops
    rail_line = f',\n    "rail_factor": "{rail}"' if rail else ""
    return f"""{{
  "_comment": "SYNTHETIC example year {year} (tools/gen_trend_years.py; assumptions in ../../README.md). Not the University of Twente's data.",
  "organisation": "University of Twente (synthetic example data)",
  "year": {year},
  "campus": "ut",
  "factors": {{
    "pack": "desnz-2025",
    "rf": true,
    "boundary": "wtw"{rail_line}
  }},
  "business": {{
    "files": ["business-travel.csv"],
    "department": "department"
  }},
  "commuting": {{
    "survey": "commuting-survey.csv",
    "groups": {{
      "staff": {{"population": {staff}, "unit": "fte", "weeks_per_year": 43, "role": "staff"}},
      "phd": {{"population": {phd}, "unit": "headcount", "weeks_per_year": 43, "role": "staff"}},
      "student": {{"population": {students}, "unit": "headcount", "weeks_per_year": 36, "role": "student"}}
    }},
    "min_cell_size": 5,
    "bootstrap": {{"seed": {year}, "iterations": 1000}}
  }}
}}
"""


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else str(ROOT / "target" / "release" / "footprint")
    for year, (rows, share, flights, resp, telework, petrol, pops) in YEARS.items():
        d = OUT / str(year)
        d.mkdir(parents=True, exist_ok=True)
        (d / "business-travel.csv").write_text(business(binary, year, rows, share, flights))
        (d / "commuting-survey.csv").write_text(survey(binary, year, resp, telework, petrol))
        # The method used at the time: the pack's single (UK) rail factor until 2023.
        (d / "inventory.json").write_text(config(year, pops, "pack" if year <= 2023 else None))
        print(f"wrote {d}")


if __name__ == "__main__":
    main()
