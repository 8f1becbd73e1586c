"""Write scraper/extract/month_names.json: the month names a page's date line is read in.

``extract_article`` takes a page's publication day from its own date line ("15 июля 2024 г.",
"15 de julio de 2024", "١٥ يوليو ٢٠٢٤", "July 15, 2024") when its metadata gives no time. The
names are CLDR's (through Babel): the wide and abbreviated names, in running text and standing
alone, of the Gregorian months in the UN's six languages and those of the other ministries and
outlets a digest follows, by language: a name may mean different months in two of them
(Polish "listopad" is November, Croatian October), and the page's language decides.

    python -m tools.month_names [--check]

``--check`` exits 1 when the shipped file differs from what the installed Babel gives.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "scraper" / "extract" / "month_names.json"
# the UN's six, then European, Middle Eastern, Central and South-East Asian languages; Babel's
# locale for the Levant gives the Syriac-derived names ("تموز") that Arabic there uses
LANGUAGES = ("ar", "zh", "en", "fr", "ru", "es", "ar_SY", "az", "bg", "ca", "cs", "da", "de", "el",
             "et", "fa", "fi", "he", "hr", "hu", "hy", "id", "it", "ka", "kk", "lt", "lv", "mk", "ms",
             "nb", "nl", "pl", "pt", "ro", "sk", "sl", "sq", "sr", "sr_Latn", "sv", "th", "tr", "uk",
             "uz")


def month_names() -> dict[str, dict[str, int]]:
    """Each language's month names (lower case, without a final dot) and their numbers."""
    from babel.dates import get_month_names

    table: dict[str, dict[str, int]] = {}
    for language in LANGUAGES:
        names = table.setdefault(language.split("_")[0], {})
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                for number, name in get_month_names(width, context, language).items():
                    name = name.lower().rstrip(".")
                    # a name with a digit ("7月") is a numeric date's, one with a dot inside an
                    # abbreviation ("ก.ค."); two letters are too few
                    if len(name) >= 3 and not any(ch.isdigit() or ch == "." for ch in name):
                        names.setdefault(name, number)
    return {language: dict(sorted(names.items())) for language, names in table.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="compare with the shipped file")
    args = parser.parse_args()
    import babel

    table = {"source": f"CLDR through Babel {babel.__version__}", "languages": list(LANGUAGES),
             "months": month_names()}
    if args.check:
        shipped = json.loads(OUT.read_text(encoding="utf-8"))
        same = shipped["months"] == table["months"] and shipped["languages"] == table["languages"]
        verdict = "as Babel gives it" if same else "differs from Babel: run tools/month_names.py"
        print(f"{OUT.name}: {verdict}")
        return 0 if same else 1
    OUT.write_text(json.dumps(table, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {OUT} ({sum(map(len, table['months'].values()))} names)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
