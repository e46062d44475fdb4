"""Economic data for tests: small tables written as the CSV files coordinators upload."""

import csv
import io

from django.conf import settings
from django.core.files.base import ContentFile

from clusters.imports import read_table
from mapping import services
from mapping.imports import data_format
from mapping.models import Dataset

HEADERS = ("ubigeo", "ciiu", "año", "empleo", "establecimientos", "remuneraciones", "ventas")

# Puno (21) is specialised in textiles (13), Cusco (08) in travel agencies (79), Junín (12) in agriculture (01),
# Lima (15) is large and diverse. Two years, so that growth and shift-share exist.
WORLD_ROWS = [
    ("21", "13", 2019, 900, 60, 9_000_000, 40_000_000),
    ("21", "13", 2023, 1200, 70, 13_000_000, 55_000_000),
    ("21", "01", 2019, 500, 80, 2_000_000, 6_000_000),
    ("21", "01", 2023, 520, 80, 2_100_000, 6_500_000),
    ("21", "79", 2019, 50, 10, 400_000, 1_000_000),
    ("21", "79", 2023, 60, 12, 500_000, 1_200_000),
    ("08", "79", 2019, 700, 90, 7_000_000, 20_000_000),
    ("08", "79", 2023, 950, 110, 9_800_000, 28_000_000),
    ("08", "13", 2019, 100, 15, 800_000, 3_000_000),
    ("08", "13", 2023, 90, 14, 760_000, 2_800_000),
    ("08", "01", 2019, 400, 70, 1_600_000, 4_000_000),
    ("08", "01", 2023, 420, 72, 1_700_000, 4_300_000),
    ("12", "01", 2019, 1500, 300, 6_000_000, 15_000_000),
    ("12", "01", 2023, 1800, 320, 7_500_000, 18_000_000),
    ("12", "13", 2019, 80, 10, 640_000, 2_000_000),
    ("12", "13", 2023, 85, 11, 700_000, 2_100_000),
    ("15", "13", 2019, 2000, 400, 24_000_000, 90_000_000),
    ("15", "13", 2023, 2100, 410, 26_000_000, 95_000_000),
    ("15", "79", 2019, 1500, 200, 18_000_000, 60_000_000),
    ("15", "79", 2023, 1600, 210, 20_000_000, 64_000_000),
    ("15", "01", 2019, 1000, 100, 5_000_000, 12_000_000),
    ("15", "01", 2023, 1000, 100, 5_000_000, 12_000_000),
    ("15", "14", 2019, 3000, 900, 30_000_000, 100_000_000),
    ("15", "14", 2023, 3100, 920, 31_000_000, 104_000_000),
]


def csv_bytes(rows, headers=HEADERS):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(headers)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def upload(rows, headers=HEADERS, name="empleo.csv"):
    return ContentFile(csv_bytes(rows, headers), name=name)


def table(rows, headers=HEADERS):
    return read_table(upload(rows, headers), max_bytes=settings.MAPPING_MAX_IMPORT_BYTES, table_format=data_format())


def make_dataset(rows=WORLD_ROWS, *, headers=HEADERS, name="Empleo de prueba", illustrative=False, user=None):
    report = services.dataset_import(
        table=table(rows, headers),
        user=user,
        name=name,
        source="INEI (prueba)",
        illustrative=illustrative,
        file_name="empleo.csv",
        apply=True,
    )
    assert report.applied, [row.reasons for row in report.rows if row.reasons] or report.errors
    return Dataset.objects.get(pk=report.dataset_id)
