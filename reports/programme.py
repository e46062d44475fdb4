"""What the programme report says: the data contract between its gatherer and its PDF builder.

The programme report is for managers: every cluster they may see, side by side (actors, interviews,
budget, indicators on and off track, the latest risk rating), the portfolio's totals by goal and
instrument of the OECD catalogue, and its gaps (goals that clusters have no intervention for). Same
conventions as ``reports.casestudy``: display strings already localised, money as Decimal, counts as int.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from reports.casestudy import Programme


@dataclass(frozen=True)
class ClusterRow:
    name: str
    regions: str
    stage: str
    actors: int
    interviews: int  # counted by the report's rule (approved, or also submitted)
    interventions: int  # not cancelled
    budget_planned: Decimal  # cancelled interventions aside
    budget_executed: Decimal
    on_track: int  # indicators whose progress keeps pace with the time elapsed
    off_track: int
    no_data: int  # indicators without an approved measurement
    evaluated: datetime.date | None  # the latest evaluation
    serious: int = 0  # risks rated serious in it
    watch: int = 0


@dataclass(frozen=True)
class InstrumentTotal:
    name: str
    interventions: int
    clusters: int
    budget_planned: Decimal
    budget_executed: Decimal


@dataclass(frozen=True)
class GoalTotal:
    """One goal of the OECD catalogue across the portfolio, with its instruments in use."""

    heading: str
    goal: str
    interventions: int
    clusters: int
    budget_planned: Decimal
    budget_executed: Decimal
    instruments: list[InstrumentTotal] = field(default_factory=list)
    # Clusters of the report with no intervention for this goal: the portfolio's gaps.
    without: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ProgrammeData:
    language: str
    generated_at: datetime.datetime
    period_start: datetime.date | None
    period_end: datetime.date | None
    include_submitted: bool
    author: str
    programme: Programme
    clusters: list[ClusterRow]
    goals: list[GoalTotal]  # every goal of the catalogue, in its order
    cancelled: int = 0  # cancelled interventions, left out of the budgets
    cancelled_planned: Decimal = Decimal(0)


def sample_programme(language: str = "es", clusters: int = 8) -> ProgrammeData:
    """A believable programme of ``clusters`` clusters (names invented), for tests and the docs."""
    names = [
        ("Pelos Finos de Camélidos", "Arequipa, Puno"),
        ("Café del Perú", "Cajamarca, Junín, San Martín"),
        ("Hortofrutícola de la Costa", "Ica, La Libertad, Piura"),
        ("Minero del Centro", "Junín, Pasco"),
        ("Moda y Vestir de Lima", "Lima"),
        ("Turismo Cultural del Cusco", "Cusco"),
        ("Logística del Callao", "Callao"),
        ("Harina y Aceite de Pescado", "Áncash, Lima"),
    ]
    es = language != "en"
    stages = ["En crecimiento", "Maduro", "Embrionario"] if es else ["Growing", "Mature", "Embryonic"]
    rows = []
    for index in range(clusters):
        name, regions = names[index % len(names)]
        if index >= len(names):
            name = f"{name} {index // len(names) + 1}"
        rows.append(
            ClusterRow(
                name=name,
                regions=regions,
                stage=stages[index % 3],
                actors=9 + (index * 7) % 13,
                interviews=(index * 5) % 21,
                interventions=2 + index % 3,
                budget_planned=Decimal(300000 + 55000 * index),
                budget_executed=Decimal(180000 + 41000 * index),
                on_track=1 + index % 3,
                off_track=index % 2,
                no_data=index % 3 == 0,
                evaluated=datetime.date(2025, 6, 30) if index % 4 else None,
                serious=index % 3 if index % 4 else 0,
                watch=2 + index % 3 if index % 4 else 0,
            )
        )
    goal_names = (
        [
            ("Comprometer a los actores", "Identificar clústeres"),
            ("Comprometer a los actores", "Apoyar la creación de redes"),
            ("Redes de servicios y negocios", "Mejorar capacidad, escala y habilidades de los proveedores"),
            ("Redes de servicios y negocios", "Aumentar lazos externos"),
            ("Colaboración en I&D y comercialización", "Vincular la investigación con las necesidades de las firmas"),
        ]
        if es
        else [
            ("Engage actors", "Identify clusters"),
            ("Engage actors", "Support network creation"),
            ("Service and business networks", "Improve suppliers' capacity, scale and skills"),
            ("Service and business networks", "Increase external links"),
            ("R&D collaboration and commercialisation", "Link research with firms' needs"),
        ]
    )
    goals = []
    for index, (heading, goal) in enumerate(goal_names):
        covered = [row.name for position, row in enumerate(rows) if (position + index) % 3 != 0]
        goals.append(
            GoalTotal(
                heading=heading,
                goal=goal,
                interventions=len(covered) + index,
                clusters=len(covered),
                budget_planned=Decimal(420000 * (index + 1)),
                budget_executed=Decimal(260000 * (index + 1)),
                instruments=[
                    InstrumentTotal(
                        ("Instrumento %s" if es else "Instrument %s") % (index + 1),
                        len(covered),
                        len(covered),
                        Decimal(420000 * (index + 1)),
                        Decimal(260000 * (index + 1)),
                    )
                ]
                if covered
                else [],
                without=[row.name for row in rows if row.name not in covered],
            )
        )
    return ProgrammeData(
        language=language,
        generated_at=datetime.datetime(2025, 7, 30, 10, 0, tzinfo=datetime.UTC),
        period_start=None,
        period_end=None,
        include_submitted=False,
        author="Miguel Paredes Rojas",
        programme=Programme(
            name="Programa de Desarrollo de Clústeres" if es else "Cluster Development Programme",
            institution="Ministerio de la Producción" if es else "Ministry of Production",
        ),
        clusters=rows,
        goals=goals,
        cancelled=1,
        cancelled_planned=Decimal(250000),
    )
