"""What a cluster case study says: the data contract between the gatherer and the PDF builder.

The gatherer (selectors + the Celery task) fills these frozen dataclasses from the database; the builder
(``reports.builder.build_case_study``) turns them into PDF bytes without touching the database.

Conventions, so that both sides agree without reading each other's code:
- Every display string is already localised by the gatherer (choice labels, sector and goal names,
  question labels in the report's language). Codes (``kind``, ``type``, ``level``, ``direction``) stay
  as the models' values: the builder uses them for colours and chart shapes, never prints them.
- Money and measured values are ``Decimal``; counts are ``int``; shares and progress are ``float``
  fractions (0.25 is 25 %); dates are ``date``.
- Lists are given in the order they should be printed.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class Count:
    """A labelled count; ``key`` is the model's code when there is one (it keeps colours consistent)."""

    label: str
    count: int
    key: str = ""


@dataclass(frozen=True)
class Programme:
    """Who publishes the report: set by an administrator (reports.models.ProgrammeSettings)."""

    name: str = ""
    institution: str = ""
    logo: bytes | None = None  # PNG or JPEG bytes, checked by content when uploaded


@dataclass(frozen=True)
class Edition:
    """The coordinator's own text for this edition of the report (reports.models.ReportEdition).

    Each text field is free text; lines starting with "-" or "•" are printed as a list."""

    title: str
    status: str  # ReportEdition.Status value: draft | final
    status_label: str
    author: str
    updated: datetime.date
    strengths: str = ""
    weaknesses: str = ""
    lessons: str = ""
    recommendations: str = ""
    key_findings: str = ""  # one finding a line; when empty the summary picks them from the interviews
    sampling: str = ""  # how the interviewees were chosen
    limitations: str = ""


@dataclass(frozen=True)
class Figure:
    """A headline figure of the cluster: e.g. firms, employment, exports, for one year, with its source."""

    label: str
    value: Decimal
    unit: str
    year: int
    source: str


@dataclass(frozen=True)
class FigureSeries:
    """One headline figure over the years recorded (oldest first)."""

    label: str
    points: list[tuple[int, Decimal]]


@dataclass(frozen=True)
class ClusterProfile:
    name: str
    slug: str
    description: str
    regions: list[str]
    main_sector: str
    related_sectors: list[str]
    stage: str
    status: str
    coordinator: str
    team: list[str]
    figures: list[Figure]
    figure_history: list[FigureSeries] = field(default_factory=list)


@dataclass(frozen=True)
class ActorSummary:
    """The cluster's members. ``by_kind`` keys are ``Actor.Kind`` values, ``by_size`` keys ``Actor.Size``
    ("" for firms whose size is not recorded). Size applies to firms only: ``by_size`` counts the
    ``firms`` (the business kinds: firms, suppliers, buyers), ``not_firms`` the other members."""

    total: int
    by_kind: list[Count]
    by_size: list[Count]
    by_role: list[Count]
    firms: int = 0
    not_firms: int = 0


@dataclass(frozen=True)
class Member:
    """A line of the members annex."""

    name: str
    kind: str
    size: str  # the firm size's label, "not applicable" for non-firms, "not recorded" for firms without one
    role: str
    district: str


@dataclass(frozen=True)
class NetworkNode:
    id: int
    name: str
    kind: str  # Actor.Kind value: picks the colour
    kind_label: str
    degree: int = 0  # ties in + out; summarise_network() fills it


@dataclass(frozen=True)
class NetworkEdge:
    """A directed tie: ``source_id`` supplies / trains / finances ... ``target_id``."""

    source_id: int
    target_id: int
    kind: str  # Relationship.Kind value
    kind_label: str


@dataclass(frozen=True)
class Ranked:
    name: str
    value: float


@dataclass(frozen=True)
class NetworkSummary:
    """The cluster's network map, its metrics and layout; build it with ``network_from_registry``.

    ``density`` is ``linked_pairs`` (ordered pairs of actors with a tie from the first to the second) over
    the n x (n - 1) possible pairs: the definition the report prints with the figure."""

    nodes: list[NetworkNode]
    edges: list[NetworkEdge]
    density: float
    components: int  # weakly connected components
    top_degree: list[Ranked]
    top_betweenness: list[Ranked]
    cross_kind_share: float  # share of ties that join actors of different kinds
    ties_by_kind: list[Count] = field(default_factory=list)
    # The registry's layout: {actor id: (x, y)} in the unit square; the diagram draws actors there.
    positions: dict = field(default_factory=dict)
    linked_pairs: int = 0

    @property
    def possible_pairs(self) -> int:
        return len(self.nodes) * (len(self.nodes) - 1)


@dataclass(frozen=True)
class OptionShare:
    label: str
    count: int
    share: float  # count / respondents of the question (multiple choice shares may add up to more than 1)


@dataclass(frozen=True)
class NumberStats:
    mean: Decimal | None
    median: Decimal | None
    minimum: Decimal | None
    maximum: Decimal | None


@dataclass(frozen=True)
class Quote:
    """An answer to a text question as said by ``count`` respondents (the same words, case and spaces aside)."""

    text: str
    count: int


@dataclass(frozen=True)
class QuestionFinding:
    """One question's answers. Choices, yes/no and scales fill ``options``; numbers and scales fill
    ``stats``; text questions fill ``quotes``: the answers said most often, each once.

    ``number_kind`` tells how to print ``stats``: "year" (a year: 1998, never 1,997.73), "integer" or
    "decimal". A ``type`` the builder does not know is left out of the report."""

    code: str
    label: str
    type: str  # surveys Question.Type value
    section: str
    n: int  # interviews that answered this question
    options: list[OptionShare] = field(default_factory=list)
    stats: NumberStats | None = None
    quotes: list[Quote] = field(default_factory=list)
    number_kind: str = "decimal"


@dataclass(frozen=True)
class Findings:
    """The answers of the interviews in the report, for one questionnaire version."""

    questionnaire: str
    version: int
    sample_size: int
    first_date: datetime.date | None
    last_date: datetime.date | None
    questions: list[QuestionFinding]


@dataclass(frozen=True)
class IndicatorSummary:
    name: str
    unit: str
    direction: str  # Indicator.Direction value: "increase" or "decrease"
    baseline: Decimal
    target: Decimal
    latest: Decimal | None  # latest approved measurement; None when there is none yet
    progress: float | None  # (latest - baseline) / (target - baseline); may be < 0 or > 1
    series: list[tuple[datetime.date, Decimal]] = field(default_factory=list)
    target_date: datetime.date | None = None
    baseline_date: datetime.date | None = None
    latest_date: datetime.date | None = None
    stale: bool = False  # the latest value is older than the report allows (see CaseStudyData.stale_days)
    # The latest approved measurement broken down, e.g. [("Mujeres", 40), ("Hombres", 47)]; may be empty.
    by_sex: list[tuple[str, Decimal]] = field(default_factory=list)
    by_size: list[tuple[str, Decimal]] = field(default_factory=list)


@dataclass(frozen=True)
class ActivityLine:
    date: datetime.date
    kind: str  # localised
    title: str
    women: int
    men: int


@dataclass(frozen=True)
class Activities:
    """An intervention's activities: totals of participants by sex and of firms by size, the latest few."""

    count: int
    women: int
    men: int
    firms_by_size: list[tuple[str, int]]  # (size label, firms), micro to large
    latest: list[ActivityLine] = field(default_factory=list)


@dataclass(frozen=True)
class InterventionSummary:
    title: str
    instrument: str
    level: str  # government level, localised
    status: str  # localised
    start: datetime.date
    end: datetime.date | None
    budget_planned: Decimal
    budget_executed: Decimal
    beneficiaries: int  # beneficiary actors
    indicators: list[IndicatorSummary] = field(default_factory=list)
    objective: str = ""
    status_code: str = ""  # Intervention.Status value; "cancelled" ones are kept out of the budget totals
    implementing: list[str] = field(default_factory=list)
    funding: list[str] = field(default_factory=list)
    overspend_justification: str = ""
    activities: Activities | None = None

    @property
    def cancelled(self) -> bool:
        return self.status_code == "cancelled"


@dataclass(frozen=True)
class GoalGroup:
    """The interventions that serve one goal of the OECD catalogue, under its heading."""

    heading: str
    goal: str
    interventions: list[InterventionSummary]


@dataclass(frozen=True)
class RiskLine:
    risk: str  # localised label of clusters.models.Risk
    level: str  # RiskRating.Level value: no_risk | watch | serious
    level_label: str
    note: str


@dataclass(frozen=True)
class EvaluationSummary:
    date: datetime.date
    evaluator: str
    summary: str
    ratings: list[RiskLine]


@dataclass(frozen=True)
class Methodology:
    questionnaire: str  # empty when there were no interviews
    version: int | None
    interviews_by_status: list[Count]  # every interview of the period, counted or not, by status
    notes: list[str] = field(default_factory=list)
    interviews_by_mode: list[Count] = field(default_factory=list)
    members: int = 0  # members of the cluster at the end of the period
    interviewed_actors: int = 0  # distinct members interviewed in the counted interviews


@dataclass(frozen=True)
class InterviewLine:
    date: datetime.date
    actor: str
    mode: str  # localised


@dataclass(frozen=True)
class Sources:
    """Where the report's figures come from: the counted interviews (listed when few, else by month) and
    the documents cited by the headline figures and the measurements."""

    interviews: list[InterviewLine] = field(default_factory=list)
    interview_total: int = 0
    by_month: list[Count] = field(default_factory=list)  # label "2025-03", filled when not listed one by one
    documents: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ScoreLine:
    """One prioritisation criterion of the cluster: its value, normalised value (0-1) and weight."""

    label: str
    raw: float | None  # None: no data for this cluster
    normalised: float
    weight: float
    lower_is_better: bool = False


@dataclass(frozen=True)
class WhyThisCluster:
    """Why the cluster is there: its place in the programme's prioritisation (mapping.selectors.cluster_scores)."""

    dataset: str
    source: str
    illustrative: bool  # generated data: the report must say so
    first_year: int
    last_year: int
    rank: int
    of: int
    score: float
    kept: int  # sensitivity scenarios in which it keeps its rank
    scenarios: int
    step: float  # how far each weight was moved (0.2 is ±20 %)
    location_quotient: float | None
    stars: int  # European Cluster Observatory stars of its best cell (0-3)
    criteria: list[ScoreLine] = field(default_factory=list)


@dataclass(frozen=True)
class CaseStudyData:
    language: str  # "es" or "en"
    generated_at: datetime.datetime
    period_start: datetime.date | None  # None: from the first record
    period_end: datetime.date | None  # None: up to the generation date
    include_submitted: bool  # False: only approved interviews count
    author: str
    cluster: ClusterProfile
    actors: ActorSummary
    network: NetworkSummary
    findings: Findings | None  # None when no interview counts
    interventions: list[GoalGroup]
    evaluation: EvaluationSummary | None  # the latest one
    methodology: Methodology
    programme: Programme = field(default_factory=Programme)
    edition: Edition | None = None
    members: list[Member] = field(default_factory=list)
    sources: Sources = field(default_factory=Sources)
    stale_days: int = 365  # a latest indicator value older than this (at the period's end) is flagged
    why: WhyThisCluster | None = None  # None when no economic data has been imported or computed for it


def summarise_network(nodes: list[NetworkNode], edges: list[NetworkEdge], top: int = 5) -> NetworkSummary:
    """The network's metrics and layout from its nodes and ties (pure), computed by the registry's own
    ``clusters.selectors.summarise_network`` so that the PDF and the network page always agree.

    Degrees on the returned nodes are recomputed; edges whose ends are not among the nodes are dropped.
    """
    from clusters.selectors import summarise_network as registry_summary

    summary = registry_summary(
        [(node.id, node.name, node.kind) for node in nodes],
        [(edge.source_id, edge.target_id, edge.kind) for edge in edges],
        top=top,
    )
    return network_from_registry(summary, labels={node.id: node.kind_label for node in nodes})


def network_from_registry(summary, labels=None) -> NetworkSummary:
    """The report's network section from ``clusters.selectors.network_summary`` (or its pure twin).

    ``labels`` may override kind labels by actor id (the registry's come from the active language).
    """
    labels = labels or {}
    ties_by_kind = [Count(str(counted.label), counted.count, counted.code) for counted in summary.ties_by_kind]
    return NetworkSummary(
        nodes=[
            NetworkNode(node.id, node.name, node.kind, str(labels.get(node.id, node.kind_label)), node.degree)
            for node in summary.nodes
        ],
        edges=[NetworkEdge(edge.source_id, edge.target_id, edge.kind, str(edge.kind_label)) for edge in summary.edges],
        density=summary.density,
        components=summary.components,
        top_degree=[Ranked(ranked.name, float(ranked.value)) for ranked in summary.top_degree],
        top_betweenness=[Ranked(ranked.name, float(ranked.value)) for ranked in summary.top_betweenness],
        cross_kind_share=summary.cross_kind_share,
        ties_by_kind=sorted(ties_by_kind, key=lambda count: (-count.count, count.label)),
        positions=dict(summary.positions),
        linked_pairs=summary.linked_pairs,
    )
