"""The messages the reader sees, extracted from the templates and the code (Babel, with Jinja2's
extractor), and every catalog in digest/locale brought up to date with them: a new message is
added untranslated, one no longer used is marked obsolete. Then translate the empty entries.

    python -m tools.messages          # update the catalogs (make messages)
    python -m tools.messages --check  # exit 1 if a catalog lacks a translation or has a bad one
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ROOT / "digest" / "locale"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2)}
JINJA = {"extensions": "jinja2.ext.i18n", "trim_blocks": "True", "lstrip_blocks": "True"}
# besides what extraction finds, the labels the code translates through a variable
# (digest/web/subscriber.py's preferences form)
BY_NAME = ("Send me the digest", "Topics", "Sources", "How often", "Day of the week", "Send at",
           "Time zone", "First choice", "Second choice", "Third choice", "Fourth choice",
           "Only stories that mention one of these words, separated by commas. Leave empty for "
           "every story.", "Only stories reported by one of these. Tick none for all sources.",
           "Once a week: the week's most important stories.", "For a weekly digest.",
           "Where you read the digest.")


def extracted() -> Catalog:
    """Every message the templates and the code mark for translation."""
    template = Catalog(project="digest", charset="utf-8")
    for folder, methods, options in (
            (ROOT / "digest", [("**.py", "python")], {}),
            (ROOT / "templates", [("**.html", "jinja2"), ("**.txt", "jinja2")],
             {"**.html": JINJA, "**.txt": JINJA})):
        for filename, lineno, message, comments, context in extract_from_dir(
                folder, method_map=methods, options_map=options, keywords=KEYWORDS):
            template.add(message, None, [(str(folder.name + "/" + filename), lineno)],
                         auto_comments=comments, context=context)
    for message in BY_NAME:
        template.add(message, None, [("digest/web/subscriber.py", 0)])
    return template


def catalogs() -> list[Path]:
    return sorted(LOCALES.glob("*/LC_MESSAGES/messages.po"))


def update() -> None:
    template = extracted()
    for path in catalogs():
        with path.open("rb") as f:
            catalog = read_po(f)
        catalog.update(template, no_fuzzy_matching=True)
        with path.open("wb") as f:
            write_po(f, catalog, width=100, omit_header=False, ignore_obsolete=True)
        missing = sum(1 for m in catalog if m.id and not all(m.string if isinstance(m.string, tuple)
                                                              else [m.string]))
        print(f"{path.relative_to(ROOT)}: {len(catalog)} messages, {missing} to translate")


def problems() -> list[str]:
    """What is wrong with the catalogs: an untranslated message, a translation whose
    placeholders differ from the message's, a plural with the wrong number of forms."""
    template = extracted()
    found = []
    for path in catalogs():
        with path.open("rb") as f:
            catalog = read_po(f)
        for message in template:
            if not message.id:
                continue
            translated = catalog.get(message.id)
            strings = (translated.string if translated is not None else None) or ""
            if not all(strings if isinstance(strings, tuple) else [strings]):
                found.append(f"{path.parent.parent.name}: no translation of {message.id!r}")
        for message, errors in catalog.check():
            for error in errors:
                found.append(f"{path.parent.parent.name}: {message.id!r}: {error}")
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    if args.check:
        found = problems()
        print("\n".join(found) or "every catalog translates every message")
        return 1 if found else 0
    update()
    return 0


if __name__ == "__main__":
    sys.exit(main())
