"""The demo's illustrative economic dataset: generated, seeded, and labelled as such wherever it is shown.

Employment by department x CIIU division in 2019 and 2023 is drawn at random (a fixed seed, so every demo
is the same) around a plain national structure, with specialisations planted where the demo's clusters
are (camelid fibre in Puno, tourism in Cusco, logistics in Callao ...) and a few where no cluster is
registered yet, so that the candidates page has something to propose. None of it is an official figure.
"""

import csv
import io

import numpy as np

SEED = 2013
YEARS = (2019, 2023)
NAME = "Empleo por departamento y división CIIU (ilustrativo)"
SOURCE = "Generado para la demostración (mapping/demo.py); no son cifras oficiales"

# (department ubigeo, CIIU division, how many times the usual share, growth 2019-2023 of that cell)
SPECIALISATIONS = [
    ("21", "13", 9.0, 0.18),  # Puno: textiles (camelid fibre)
    ("04", "13", 4.0, 0.12),
    ("21", "01", 1.6, 0.05),
    ("12", "01", 2.0, 0.10),  # Junín, Cajamarca, San Martín: coffee
    ("06", "01", 2.2, 0.08),
    ("22", "01", 2.6, 0.15),
    ("08", "79", 8.0, 0.22),  # Cusco: tourism
    ("08", "55", 4.0, 0.20),
    ("08", "56", 2.0, 0.12),
    ("15", "14", 3.0, -0.04),  # Lima: apparel (Gamarra)
    ("12", "07", 5.0, 0.02),  # Junín, Pasco: metal ores
    ("19", "07", 12.0, -0.03),
    ("15", "28", 2.5, 0.09),  # Lima, Arequipa: mining suppliers
    ("04", "28", 3.0, 0.14),
    ("07", "52", 8.0, 0.16),  # Callao: logistics
    ("07", "50", 6.0, 0.10),
    ("07", "51", 4.0, 0.11),
    ("13", "01", 2.0, 0.20),  # La Libertad, Ica, Piura: agro-exports
    ("11", "01", 2.4, 0.24),
    ("20", "01", 1.6, 0.12),
    ("02", "10", 5.0, -0.08),  # Áncash, Piura: fishmeal
    ("20", "10", 3.0, -0.05),
    ("02", "03", 6.0, -0.10),
    ("15", "86", 2.0, 0.07),  # Lima: health
    ("15", "21", 3.0, 0.06),
    # Where no demo cluster is registered: candidates to register.
    ("17", "02", 10.0, 0.04),  # Madre de Dios: forestry
    ("16", "06", 10.0, -0.12),  # Loreto: crude petroleum
    ("24", "03", 8.0, 0.18),  # Tumbes: fishing and aquaculture
    ("11", "11", 6.0, 0.15),  # Ica: beverages
    ("18", "24", 10.0, 0.05),  # Moquegua: basic metals
]
# Agriculture, retail, restaurants, construction and teaching employ far more people than, say, tobacco.
LARGE_DIVISIONS = {"01": 12.0, "47": 6.0, "56": 3.0, "41": 2.0, "85": 2.0}
HEADERS = ["ubigeo", "ciiu", "año", "empleo", "establecimientos", "remuneraciones", "ventas"]


def rows(departments, divisions):
    """[[ubigeo, ciiu, year, employment, establishments, wages, sales], ...] for every department x division."""
    rng = np.random.default_rng(SEED)
    sizes = rng.gamma(2.0, 1.0, len(departments))
    sizes[departments.index("15")] *= 12  # Lima Metropolitana and Lima region hold a third of the jobs
    structure = rng.gamma(2.0, 1.0, len(divisions))
    for division, weight in LARGE_DIVISIONS.items():  # where most Peruvians work
        structure[divisions.index(division)] *= weight
    base = 8_000_000 * np.outer(sizes / sizes.sum(), structure / structure.sum())
    base *= rng.lognormal(0.0, 0.35, base.shape)
    growth = rng.normal(0.06, 0.06, base.shape[1])[None, :] + rng.normal(0.0, 0.05, base.shape)
    for department, division, factor, cell_growth in SPECIALISATIONS:
        r, s = departments.index(department), divisions.index(division)
        base[r, s] *= factor
        growth[r, s] = cell_growth
    first = np.round(base).astype(int)
    last = np.round(base * (1 + growth)).clip(min=0).astype(int)
    firm_size = rng.uniform(4, 40, base.shape[1])
    wage = rng.uniform(12_000, 45_000, base.shape[1])
    productivity = rng.uniform(3, 12, base.shape[1])
    table = []
    for year, employment in zip(YEARS, (first, last), strict=True):
        establishments = np.maximum(1, np.round(employment / firm_size[None, :])).astype(int)
        wages = np.round(employment * wage[None, :], -3).astype(np.int64)
        sales = np.round(wages * productivity[None, :], -3).astype(np.int64)
        for r, department in enumerate(departments):
            for s, division in enumerate(divisions):
                if employment[r, s] == 0:
                    continue
                table.append(
                    [
                        department,
                        division,
                        year,
                        int(employment[r, s]),
                        int(establishments[r, s]),
                        int(wages[r, s]),
                        int(sales[r, s]),
                    ]
                )
    return table


def demo_csv():
    """The illustrative dataset as the CSV file a coordinator would import (UTF-8)."""
    from clusters.models import Region, Sector

    departments = list(
        Region.objects.filter(level=Region.Level.DEPARTMENT).order_by("code").values_list("code", flat=True)
    )
    divisions = list(Sector.objects.filter(level=Sector.Level.DIVISION).order_by("code").values_list("code", flat=True))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HEADERS)
    writer.writerows(rows(departments, divisions))
    return buffer.getvalue().encode("utf-8")


def build(stdout=None):
    """Load the illustrative dataset once (the demo loader calls this after the clusters exist)."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.files.base import ContentFile

    from clusters.imports import read_table
    from mapping import services
    from mapping.imports import data_format
    from mapping.models import Dataset

    if Dataset.objects.filter(illustrative=True, name=NAME).exists():
        return None
    table = read_table(
        ContentFile(demo_csv(), name="empleo-ilustrativo.csv"),
        max_bytes=settings.MAPPING_MAX_IMPORT_BYTES,
        table_format=data_format(),
    )
    report = services.dataset_import(
        table=table,
        user=get_user_model().objects.filter(username="coordinador").first(),
        name=NAME,
        source=SOURCE,
        notes="Datos generados al azar con semilla fija, con especializaciones sembradas donde están los clústeres "
        "de la demostración. Sirven para mostrar las medidas; no describen la economía del Perú.",
        illustrative=True,
        file_name="empleo-ilustrativo.csv",
        apply=True,
    )
    if stdout is not None:
        stdout.write(f"Illustrative economic dataset: {report.total} rows, {report.rejected} rejected.")
    return report
