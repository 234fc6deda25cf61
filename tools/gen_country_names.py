#!/usr/bin/env python3
"""Regenerates data/gazetteer/country_names.tsv from the npm package i18n-iso-countries.

Not needed by the build (the table is committed). Usage:

    cd "$(mktemp -d)" && npm pack i18n-iso-countries@7.14.0 && tar xzf i18n-iso-countries-7.14.0.tgz
    python3 tools/gen_country_names.py /path/to/package > data/gazetteer/country_names.tsv

i18n-iso-countries (MIT, (c) 2016 widdix GmbH) carries country names per language derived from
the Unicode CLDR. One output row per (ISO2 code, name): the languages that write it that way,
comma-separated in the order below. Names are kept as the package writes them (diacritics,
Greek script); the gazetteer folds case and diacritics when it indexes them.
"""

import json
import sys
from pathlib import Path

# The languages of the ECIU members (issue 14): English, Dutch, French, German, Spanish,
# Italian, Portuguese, Swedish, Danish, Finnish, Lithuanian, Polish, Greek.
LANGS = ["en", "nl", "fr", "de", "es", "it", "pt", "sv", "da", "fi", "lt", "pl", "el"]


def main() -> None:
    package = Path(sys.argv[1])
    version = json.loads((package / "package.json").read_text())["version"]
    rows: dict[tuple[str, str], list[str]] = {}
    for lang in LANGS:
        data = json.loads((package / "langs" / f"{lang}.json").read_text(encoding="utf-8"))
        for iso2, names in data["countries"].items():
            for name in [names] if isinstance(names, str) else names:
                name = " ".join(name.split())
                if "\t" in name or not name:
                    continue
                rows.setdefault((iso2, name), []).append(lang)
    out = sys.stdout
    out.write("iso2\tlangs\tname\n")
    for (iso2, name), langs in sorted(rows.items()):
        out.write(f"{iso2}\t{','.join(langs)}\t{name}\n")


if __name__ == "__main__":
    main()
