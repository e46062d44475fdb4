"""A dataset's rows read into matrices, the measures computed on them, and the results written back.

``load_panel`` reads the observations with one query, in chunks, straight into arrays (territories x
activities, one matrix per year). ``compute`` runs ``mapping.measures`` on them and returns the rows to
store; ``write_rows`` stores them with PostgreSQL's COPY (or bulk inserts elsewhere). Nothing here loops
over cells: the per-cluster step loops over clusters, and each cluster is a few array operations.
"""

from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.db import connection

from mapping import measures

CHUNK = 50_000
READ_SQL = (
    "SELECT region_id, sector_id, year, employment, establishments, CAST(wages AS DOUBLE PRECISION), "
    "CAST(sales AS DOUBLE PRECISION), CAST(value_added AS DOUBLE PRECISION) "
    "FROM mapping_observation WHERE dataset_id = %s"
)


def read_rows(dataset_id):
    """The dataset's observations as one float array (n x 8), read in chunks (None becomes NaN)."""
    chunks = []
    with connection.cursor() as cursor:
        cursor.execute(READ_SQL, [dataset_id])
        while rows := cursor.fetchmany(CHUNK):
            chunks.append(np.array(rows, dtype=float))
    return np.concatenate(chunks) if chunks else np.zeros((0, 8))


@dataclass
class Panel:
    region_ids: np.ndarray  # (R,)
    sector_ids: np.ndarray  # (S,)
    years: list
    employment: dict  # year -> (R, S)
    present: dict  # year -> (R,) territories with at least one row that year
    establishments: np.ndarray  # (R, S), last year, NaN where not given
    wages: np.ndarray
    sales: np.ndarray
    value_added: np.ndarray

    @property
    def first(self):
        return self.employment[self.years[0]]

    @property
    def last(self):
        return self.employment[self.years[-1]]


def load_panel(dataset_id, rows=None):
    rows = read_rows(dataset_id) if rows is None else rows
    region_ids, region_index = np.unique(rows[:, 0].astype(np.int64), return_inverse=True)
    sector_ids, sector_index = np.unique(rows[:, 1].astype(np.int64), return_inverse=True)
    year_values = rows[:, 2].astype(int)
    years = sorted(set(np.unique(year_values).tolist()))
    shape = (len(region_ids), len(sector_ids))
    employment, present = {}, {}
    for year in years:
        selected = year_values == year
        matrix = np.zeros(shape)
        matrix[region_index[selected], sector_index[selected]] = rows[selected, 3]
        employment[year] = matrix
        present[year] = np.bincount(region_index[selected], minlength=shape[0]) > 0
    last = year_values == years[-1] if years else np.zeros(len(rows), bool)
    extra = []
    for column in (4, 5, 6, 7):
        matrix = np.full(shape, np.nan)
        matrix[region_index[last], sector_index[last]] = rows[last, column]
        extra.append(matrix)
    return Panel(region_ids, sector_ids, years, employment, present, *extra)


class Cells:
    """Rows to store, held as column arrays: iterating gives tuples (None for NaN); ``copy_binary`` gives
    them as PostgreSQL binary COPY data, built a whole column at a time."""

    def __init__(self, columns, kinds):
        self.columns = columns
        self.kinds = kinds

    def __len__(self):
        return len(self.columns[0]) if self.columns else 0

    def _python(self, values, kind):
        if kind == "int?":
            return [None if value != value else int(value) for value in values.tolist()]
        if kind == "float?":
            return [None if value != value else value for value in values.tolist()]
        return values.tolist()

    def __iter__(self):
        return zip(*(self._python(v, k) for v, k in zip(self.columns, self.kinds, strict=True)), strict=True)

    def copy_binary(self, fields, extra, model):
        """The rows in PostgreSQL's binary COPY format, built a whole column at a time with numpy.

        Each row is a field count, then per field its length (-1 for NULL) and its big-endian bytes.
        Text would need every number formatted one by one; here no Python loop runs over the rows.
        """
        names = (*extra, *fields)
        columns = [np.full(len(self), value) for value in extra.values()] + list(self.columns)
        kinds = ["int"] * len(extra) + list(self.kinds)
        dtypes = [BINARY_TYPES[model._meta.get_field(name).db_type(connection)] for name in names]
        count = len(self)
        present = [
            np.ones(count, bool) if not kind.endswith("?") else ~np.isnan(values)
            for values, kind in zip(columns, kinds, strict=True)
        ]
        sizes = np.stack(
            [np.where(mask, 4 + np.dtype(dtype).itemsize, 4) for mask, dtype in zip(present, dtypes, strict=True)],
            axis=1,
        )
        row_sizes = 2 + sizes.sum(axis=1)
        starts = len(BINARY_HEADER) + np.concatenate([[0], np.cumsum(row_sizes)[:-1]])
        buffer = np.zeros(len(BINARY_HEADER) + int(row_sizes.sum()) + 2, dtype=np.uint8)
        buffer[: len(BINARY_HEADER)] = np.frombuffer(BINARY_HEADER, dtype=np.uint8)
        _scatter(buffer, starts, np.full(count, len(names), ">i2"))
        offsets = starts + 2
        for values, mask, dtype, size in zip(columns, present, dtypes, sizes.T, strict=True):
            width = np.dtype(dtype).itemsize
            _scatter(buffer, offsets, np.where(mask, width, -1).astype(">i4"))
            data = np.nan_to_num(values).astype(dtype) if dtype != "?" else values.astype(bool)
            _scatter(buffer, offsets[mask] + 4, data[mask].astype(dtype))
            offsets = offsets + size
        buffer[-2:] = 255  # the trailer: a field count of -1
        return buffer.tobytes()


BINARY_HEADER = b"PGCOPY\n\xff\r\n\x00" + bytes(8)
BINARY_TYPES = {"bigint": ">i8", "integer": ">i4", "smallint": ">i2", "boolean": "?", "double precision": ">f8"}


def _scatter(buffer, offsets, values):
    """Write each value's bytes at its offset of the buffer (all at once)."""
    if not len(values):
        return
    raw = np.ascontiguousarray(values).view(np.uint8).reshape(len(values), -1)
    buffer[offsets[:, None] + np.arange(raw.shape[1])[None, :]] = raw


@dataclass
class Results:
    cells: Cells  # in CELL_FIELDS order
    concentrations: list  # tuples in CONCENTRATION_FIELDS order
    stars: np.ndarray  # (R, S) star counts, for the clusters' step


CELL_FIELDS = (
    "region_id",
    "sector_id",
    "employment",
    "base_employment",
    "establishments",
    "wages",
    "output",
    "location_quotient",
    "region_share",
    "activity_share",
    "size_star",
    "specialisation_star",
    "focus_star",
    "stars",
    "growth",
    "national_share",
    "industry_mix",
    "regional_shift",
)
# How each cell column is stored: whole numbers, whole numbers or NULL, floats or NULL, booleans.
CELL_KINDS = (
    "int",
    "int",
    "int",
    "int?",
    "int?",
    "float?",
    "float?",
    "float?",
    "float?",
    "float?",
    "bool",
    "bool",
    "bool",
    "int",
    "float?",
    "float?",
    "float?",
    "float?",
)
CONCENTRATION_FIELDS = ("sector_id", "employment", "territories", "establishments", "herfindahl", "ellison_glaeser")


def _column(values, mask):
    """A column of stored values: NaN becomes None (SQL NULL)."""
    picked = values[mask]
    if picked.dtype.kind == "f":
        return np.where(np.isnan(picked), None, picked).tolist()
    return picked.tolist()


def output_matrix(panel):
    """Value added where the dataset has it, sales otherwise (the article's «contribution to output»)."""
    return panel.value_added if not np.isnan(panel.value_added).all() else panel.sales


def compute(panel):
    """The measures of every cell and activity; a cell is stored when it is a candidate (LQ ≥ 1 or a star)."""
    end = panel.last
    special = measures.specialisation(end)
    stars = measures.cluster_stars(
        end,
        size_top_share=settings.MAPPING_STAR_SIZE_TOP_SHARE,
        specialisation_lq=settings.MAPPING_STAR_SPECIALISATION_LQ,
        focus_top_share=settings.MAPPING_STAR_FOCUS_TOP_SHARE,
        measures=special,
    )
    count = stars.count
    lq = special.location_quotient
    keep = (end > 0) & ((np.nan_to_num(lq, nan=0) >= 1) | (count > 0))
    rows, cols = np.nonzero(keep)
    if len(panel.years) > 1:
        change = measures.shift_share(
            panel.first, end, base_present=panel.present[panel.years[0]], end_present=panel.present[panel.years[-1]]
        )
        base = np.where(panel.present[panel.years[0]][:, None], panel.first, np.nan)
    else:
        nothing = np.full(end.shape, np.nan)
        change = measures.ShiftShare(nothing, nothing, nothing, nothing, nothing)
        base = nothing
    # Column arrays, NaN where SQL says NULL; ``Cells`` turns them into rows or COPY text.
    columns = [
        panel.region_ids[rows],
        panel.sector_ids[cols],
        end[keep].astype(np.int64),
        base[keep],
        panel.establishments[keep],
        panel.wages[keep],
        output_matrix(panel)[keep],
        lq[keep],
        special.region_share[keep],
        special.activity_share[keep],
        stars.size[keep],
        stars.specialisation[keep],
        stars.focus[keep],
        count[keep].astype(np.int64),
        change.growth[keep],
        change.national_share[keep],
        change.industry_mix[keep],
        change.regional_shift[keep],
    ]
    establishments = None
    if not np.isnan(panel.establishments).all():
        establishments = np.nansum(panel.establishments, axis=0)
    activity_totals = end.sum(axis=0)
    concentrations = list(
        zip(
            panel.sector_ids.tolist(),
            activity_totals.astype(np.int64).tolist(),
            (end > 0).sum(axis=0).tolist(),
            [None] * len(activity_totals) if establishments is None else establishments.astype(np.int64).tolist(),
            _column(measures.herfindahl(end), np.ones(len(activity_totals), bool)),
            _column(measures.ellison_glaeser(end, establishments), np.ones(len(activity_totals), bool)),
            strict=True,
        )
    )
    return Results(cells=Cells(columns, CELL_KINDS), concentrations=concentrations, stars=count)


def write_rows(model, fields, rows, *, extra):
    """Store many rows fast: COPY on PostgreSQL, bulk inserts elsewhere. ``extra`` is added to each row."""
    extra_fields = tuple(extra)
    extra_values = tuple(extra.values())
    if connection.vendor == "postgresql" and isinstance(rows, Cells):
        columns = ", ".join(connection.ops.quote_name(name) for name in (*extra_fields, *fields))
        sql = f"COPY {model._meta.db_table} ({columns}) FROM STDIN (FORMAT BINARY)"
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            copy.write(rows.copy_binary(fields, extra, model))
        return
    if connection.vendor == "postgresql":
        columns = ", ".join(connection.ops.quote_name(name) for name in (*extra_fields, *fields))
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {model._meta.db_table} ({columns}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row((*extra_values, *row))
        return
    names = (*extra_fields, *fields)
    model.objects.bulk_create((model(**dict(zip(names, (*extra_values, *row), strict=True))) for row in rows), 2000)


# --- Registered clusters ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClusterPlace:
    """What the registry says about where a cluster is and what it does (codes, not objects)."""

    cluster_id: int
    regions: tuple  # ubigeo codes, any level
    main_sector: str  # CIIU code, any level
    related_sectors: tuple = ()
    members: int = 0
    ties: int = 0


def territory_mask(dataset_codes, cluster_codes):
    """The dataset's territories inside (or containing) any of the cluster's: ubigeo codes nest by prefix."""
    dataset_codes = np.asarray(dataset_codes, dtype=str)
    mask = np.zeros(len(dataset_codes), dtype=bool)
    if not len(dataset_codes):
        return mask
    width = len(dataset_codes[0])
    for code in cluster_codes:
        if len(code) >= width:
            mask |= dataset_codes == code[:width]
        else:
            mask |= np.char.startswith(dataset_codes, code)
    return mask


def activity_mask(dataset_codes, ancestry, code):
    """The dataset's activities under (or above) a CIIU code; ``ancestry`` maps a code to it and its parents."""
    dataset_codes = list(dataset_codes)
    own = ancestry.get(code, (code,))
    return np.array([code in ancestry.get(other, (other,)) or other in own for other in dataset_codes], dtype=bool)


def cluster_criteria(panel, stars, places, *, region_codes, sector_codes, ancestry, threshold):
    """One dict of raw criteria per cluster place (see mapping.models.ClusterCriteria)."""
    if not places:
        return []
    end = panel.last
    territories = np.array([territory_mask(region_codes, place.regions) for place in places], dtype=float)
    activities = np.array([activity_mask(sector_codes, ancestry, place.main_sector) for place in places], dtype=float)
    has_cells = territories.any(axis=1) & activities.any(axis=1)

    def block(matrix):
        """sum over the cluster's territories x activities of a matrix, for every cluster at once."""
        return ((territories @ matrix) * activities).sum(axis=1)

    def block_sum(matrix):
        known = block((~np.isnan(matrix)).astype(float)) > 0
        return np.where(has_cells & known, block(np.nan_to_num(matrix)), np.nan)

    employment = block_sum(end)
    growth = np.full(len(places), np.nan)
    if len(panel.years) > 1:
        both = panel.present[panel.years[0]] & panel.present[panel.years[-1]]
        before = (((territories * both[None, :]) @ panel.first) * activities).sum(axis=1)
        after = (((territories * both[None, :]) @ end) * activities).sum(axis=1)
        growth = np.where(before > 0, measures.divide(after, before) - 1, np.nan)
    lq = measures.grouped_location_quotients(end, territories, activities)
    specialised = measures.specialised_territories(end, activities, threshold)
    competitors = np.where(has_cells, (specialised & (territories == 0)).sum(axis=1), np.nan)
    best_stars = np.zeros(len(places), dtype=int)
    for level in (1, 2, 3):
        best_stars = np.where(block((stars >= level).astype(float)) > 0, level, best_stars)
    cells = block((end > 0).astype(float))

    # Related activities: how many of the cluster's related sectors its territories are specialised in.
    pairs = [(index, code) for index, place in enumerate(places) for code in place.related_sectors]
    related = np.zeros(len(places))
    if pairs:
        pair_territories = territories[[index for index, _code in pairs]]
        pair_activities = np.array([activity_mask(sector_codes, ancestry, code) for _index, code in pairs], float)
        pair_lq = measures.grouped_location_quotients(end, pair_territories, pair_activities)
        np.add.at(related, [index for index, _code in pairs], np.nan_to_num(pair_lq, nan=0) >= 1)
    related = np.where(territories.any(axis=1), related, np.nan)

    rows = []
    wages, output = block_sum(panel.wages), block_sum(output_matrix(panel))
    for index, place in enumerate(places):
        rows.append(
            {
                "cluster_id": place.cluster_id,
                "employment": _value(employment[index]),
                "wages": _value(wages[index]),
                "output": _value(output[index]),
                "network": place.ties / place.members if place.members else None,
                "related_activities": _value(related[index]) if place.related_sectors else None,
                "growth": _value(growth[index]),
                "competitors": _value(competitors[index]),
                "cells": int(cells[index]),
                "location_quotient": _value(lq[index]),
                "best_stars": int(best_stars[index]),
            }
        )
    return rows


def _value(number):
    return None if number is None or np.isnan(number) else float(number)
