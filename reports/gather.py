"""Gathering a case study: what the database says about one cluster, as ``reports.casestudy`` data.

Every figure is counted by the database (grouped queries), so the number of queries does not depend on
how many actors, interviews or interventions the cluster has. Display strings are localised in the
report's language.

The headline figures, the members, the network, the latest evaluation, the interview findings and the
interventions come from the selectors that their pages use (``clusters.selectors.headline_figures``,
``actor_breakdown``, ``cluster_members``, ``network_summary`` and ``latest_evaluation``,
``surveys.selectors.findings``, ``instruments.selectors.cluster_instruments``), given the report's rules
(its period, which interviews count), so the PDF and the site say the same.
"""

import datetime
from collections import defaultdict

from django.db.models import Count, F, Sum, Window
from django.db.models.functions import RowNumber, TruncMonth
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from clusters import selectors as cluster_selectors
from clusters.history import person
from clusters.models import FIRM_KINDS, Actor, Cluster, HeadlineFigure, Membership
from instruments.models import Activity, Intervention, Measurement
from instruments.selectors import cluster_instruments
from reports.casestudy import (
    Activities,
    ActivityLine,
    ActorSummary,
    CaseStudyData,
    ClusterProfile,
    Edition,
    EvaluationSummary,
    Figure,
    FigureSeries,
    Findings,
    GoalGroup,
    IndicatorSummary,
    InterventionSummary,
    InterviewLine,
    Member,
    Methodology,
    NumberStats,
    OptionShare,
    Programme,
    QuestionFinding,
    Quote,
    RiskLine,
    ScoreLine,
    Sources,
    WhyThisCluster,
    network_from_registry,
)
from reports.casestudy import Count as Counted
from reports.models import ProgrammeSettings, ReportEdition
from surveys.models import Interview, Question, QuestionnaireVersion
from surveys.selectors import findings

# The order in which interview statuses are listed in the methodology annex.
STATUS_ORDER = [
    Interview.Status.APPROVED,
    Interview.Status.SUBMITTED,
    Interview.Status.RETURNED,
    Interview.Status.DRAFT,
]
# The sources annex lists the counted interviews one by one up to this many; beyond, by month.
INTERVIEWS_LISTED = 100
# Activities listed one by one under each intervention (the totals count every one).
ACTIVITIES_LISTED = 5
# An integer question whose answers may only be years prints its figures as years (1998, not 1,997.73).
YEARS = (1000, 2200)


def gather_case_study(job, *, author=None, now=None) -> CaseStudyData:
    """The case study that ``job`` asks for (saved or not), in the job's language.

    ``author`` defaults to the name of the person who asked for it.
    """
    now = now or timezone.now()
    with translation.override(job.language):
        cluster = (
            Cluster.objects.select_related("main_sector", "coordinator").prefetch_related("team").get(pk=job.cluster_id)
        )
        start, end = job.period_start, job.period_end
        counted = counted_statuses(job.include_submitted)
        version = main_version(cluster, start, end, counted)
        included = _interviews(cluster, start, end).filter(status__in=counted)
        actors, members = actor_summary(cluster, as_of=end)
        groups = intervention_groups(cluster, start, end)
        return CaseStudyData(
            language=job.language,
            generated_at=now,
            period_start=start,
            period_end=end,
            include_submitted=job.include_submitted,
            author=author if author is not None else report_person(job.requested_by if job.requested_by_id else None),
            cluster=cluster_profile(cluster, as_of=end),
            actors=actors,
            network=network_from_registry(cluster_selectors.network_summary(cluster, interviews=included, as_of=end)),
            findings=interview_findings(cluster, version, start, end, counted),
            interventions=groups,
            evaluation=evaluation_summary(cluster, as_of=end),
            methodology=interview_methodology(cluster, start, end, counted, version, members=actors.total),
            programme=programme(),
            edition=edition_text(job, cluster),
            members=members,
            sources=sources(cluster, included, end, groups),
            why=why_this_cluster(cluster),
        )


def counted_statuses(include_submitted):
    """The interview statuses a report counts: approved, and submitted when asked for."""
    if include_submitted:
        return [Interview.Status.APPROVED, Interview.Status.SUBMITTED]
    return [Interview.Status.APPROVED]


def report_person(user):
    """How the report names a person (``clusters.history.person``); nobody when there is no one."""
    return "" if user is None else person(user)


def programme() -> Programme:
    """The programme and institution an administrator set, with the logo's bytes (one query)."""
    settings_ = ProgrammeSettings.objects.filter(pk=ProgrammeSettings.SINGLETON).first()
    if settings_ is None:
        return Programme()
    return Programme(
        name=settings_.programme_name,
        institution=settings_.institution,
        logo=bytes(settings_.logo) if settings_.logo else None,
    )


def edition_text(job, cluster) -> Edition | None:
    """The edition the job names, else the cluster's latest final one, as the builder prints it."""
    editions = ReportEdition.objects.select_related("created_by")
    if job.edition_id:
        edition = editions.filter(pk=job.edition_id, cluster=cluster).first()
    else:
        edition = (
            editions.filter(cluster=cluster, status=ReportEdition.Status.FINAL).order_by("-updated_at", "-pk").first()
        )
    if edition is None:
        return None
    return Edition(
        title=edition.title,
        status=edition.status,
        status_label=str(edition.get_status_display()),
        author=report_person(edition.created_by),
        updated=timezone.localdate(edition.updated_at),
        strengths=edition.strengths,
        weaknesses=edition.weaknesses,
        lessons=edition.lessons,
        recommendations=edition.recommendations,
        key_findings=edition.key_findings,
        sampling=edition.sampling,
        limitations=edition.limitations,
    )


def cluster_profile(cluster, *, as_of=None) -> ClusterProfile:
    """Name, place, sectors, stage, people, the latest headline figure of each kind (up to ``as_of``) and
    each figure over the years recorded."""
    figures = cluster_selectors.headline_figures(cluster, as_of=as_of)
    return ClusterProfile(
        name=cluster.name,
        slug=cluster.slug,
        description=cluster.description,
        regions=list(cluster.regions.order_by("code").values_list("name", flat=True)),
        main_sector=_sector(cluster.main_sector),
        related_sectors=[_sector(sector) for sector in cluster.related_sectors.order_by("code")],
        stage=str(cluster.get_stage_display()),
        status=str(cluster.get_status_display()),
        coordinator=report_person(cluster.coordinator),
        team=sorted(report_person(user) for user in cluster.team.all()),
        figures=[
            # The metric's label says the unit: "Ventas anuales (S/)", "Exportaciones (US$ FOB)".
            Figure(label=figure.label, value=figure.value, unit="", year=figure.year, source=figure.source)
            for figure in figures.latest
        ],
        figure_history=[
            FigureSeries(series.label, list(series.points)) for series in figures.series if len(series.points) > 1
        ],
    )


def _sector(sector):
    return f"{sector.code} · {sector.name}"


def actor_summary(cluster, *, as_of=None) -> tuple[ActorSummary, list[Member]]:
    """The cluster's members counted by kind, by firm size (firms only) and by role, as its pages count them
    (``clusters.selectors.actor_breakdown``, one grouped query), and the members annex (one query)."""
    breakdown = cluster_selectors.actor_breakdown(cluster, as_of=as_of)
    size_labels = dict(Actor.Size.choices)
    kind_labels = dict(Actor.Kind.choices)
    role_labels = dict(Membership.Role.choices)
    annex = [
        Member(
            name=name,
            kind=str(kind_labels.get(kind, kind)),
            size=str(size_labels[size])
            if size in size_labels
            else (_("Not recorded") if kind in FIRM_KINDS else _("Not applicable")),
            role=str(role_labels.get(role, role)),
            district=district or "",
        )
        for name, kind, size, role, district in cluster_selectors.cluster_members(cluster, as_of=as_of).values_list(
            "actor__name", "actor__kind", "actor__size", "role", "actor__region__name"
        )
    ]

    def counts(items):
        return [Counted(item.label, item.count, item.code) for item in items]

    summary = ActorSummary(
        total=breakdown.total,
        by_kind=counts(breakdown.by_kind),
        by_size=counts(breakdown.by_size),
        by_role=counts(breakdown.by_role),
        firms=breakdown.firms,
        not_firms=breakdown.not_firms,
    )
    return summary, annex


def intervention_groups(cluster, start, end) -> list[GoalGroup]:
    """The cluster's interventions by goal with budget and indicator progress, from the instruments tab's
    selector, plus what the report says besides: objective, institutions, a justified overspend,
    activities with their participants, and the breakdown of each indicator's latest value (six queries
    more, whatever the number of interventions)."""
    groups = cluster_instruments(cluster, period_start=start, period_end=end)
    ids = [intervention.pk for group in groups for intervention in group.interventions]
    if not ids:
        return []
    texts = {
        row["pk"]: row
        for row in Intervention.objects.filter(pk__in=ids).values("pk", "objective", "overspend_justification")
    }
    implementing, funding = defaultdict(list), defaultdict(list)
    for relation, target in (
        (Intervention.implementing_institutions.through, implementing),
        (Intervention.funding_institutions.through, funding),
    ):
        for intervention_id, name in (
            relation.objects.filter(intervention_id__in=ids)
            .order_by("actor__name", "actor_id")
            .values_list("intervention_id", "actor__name")
        ):
            target[intervention_id].append(name)
    activities = _activities(ids, start, end)
    breakdowns = _latest_breakdowns(ids, start, end)
    return [
        GoalGroup(
            heading=str(group.heading_label),
            goal=str(group.name),
            interventions=[
                InterventionSummary(
                    title=intervention.title,
                    instrument=str(intervention.instrument_name),
                    level=str(intervention.level_label),
                    status=str(intervention.status_label),
                    start=intervention.start,
                    end=intervention.end,
                    budget_planned=intervention.budget_planned,
                    budget_executed=intervention.budget_executed,
                    beneficiaries=intervention.beneficiaries_count,
                    objective=texts[intervention.pk]["objective"],
                    overspend_justification=texts[intervention.pk]["overspend_justification"],
                    status_code=intervention.status,
                    implementing=implementing.get(intervention.pk, []),
                    funding=funding.get(intervention.pk, []),
                    activities=activities.get(intervention.pk),
                    indicators=[
                        IndicatorSummary(
                            name=indicator.name,
                            unit=indicator.unit,
                            direction=indicator.direction,
                            baseline=indicator.baseline,
                            target=indicator.target,
                            latest=indicator.latest,
                            progress=indicator.progress,
                            series=list(indicator.series),
                            target_date=indicator.target_date,
                            baseline_date=indicator.baseline_date,
                            latest_date=indicator.latest_date,
                            by_sex=breakdowns.get(indicator.pk, ([], []))[0],
                            by_size=breakdowns.get(indicator.pk, ([], []))[1],
                        )
                        for indicator in intervention.indicators
                    ],
                )
                for intervention in group.interventions
            ],
        )
        for group in groups
    ]


def _activities(ids, start, end) -> dict[int, Activities]:
    """Each intervention's activities of the period: totals (one grouped query) and the latest few (one
    query, the database ranking them)."""
    activities = Activity.objects.filter(intervention_id__in=ids)
    if start is not None:
        activities = activities.filter(date__gte=start)
    if end is not None:
        activities = activities.filter(date__lte=end)
    totals = {
        row["intervention_id"]: row
        for row in activities.order_by()
        .values("intervention_id")
        .annotate(
            n=Count("pk"),
            women=Sum("women"),
            men=Sum("men"),
            micro=Sum("firms_micro"),
            small=Sum("firms_small"),
            medium=Sum("firms_medium"),
            large=Sum("firms_large"),
        )
    }
    kinds = dict(Activity.Kind.choices)
    latest = defaultdict(list)
    for row in (
        activities.annotate(
            rank=Window(RowNumber(), partition_by=[F("intervention_id")], order_by=[F("date").desc(), F("pk").desc()])
        )
        .filter(rank__lte=ACTIVITIES_LISTED)
        .values("intervention_id", "date", "kind", "title", "women", "men", "rank")
    ):
        latest[row["intervention_id"]].append(row)
    sizes = [
        (Actor.Size.MICRO, "micro"),
        (Actor.Size.SMALL, "small"),
        (Actor.Size.MEDIUM, "medium"),
        (Actor.Size.LARGE, "large"),
    ]
    result = {}
    for intervention_id, row in totals.items():
        lines = sorted(latest.get(intervention_id, []), key=lambda line: line["rank"])
        result[intervention_id] = Activities(
            count=row["n"],
            women=row["women"] or 0,
            men=row["men"] or 0,
            firms_by_size=[(str(size.label), row[key] or 0) for size, key in sizes],
            latest=[
                ActivityLine(
                    date=line["date"],
                    kind=str(kinds.get(line["kind"], line["kind"])),
                    title=line["title"],
                    women=line["women"],
                    men=line["men"],
                )
                for line in lines
            ],
        )
    return result


def _latest_breakdowns(ids, start, end) -> dict:
    """{indicator id: (by sex, by firm size)} of each indicator's latest approved measurement of the period
    (one query: the database ranks the measurements)."""
    measurements = Measurement.objects.filter(indicator__intervention_id__in=ids, status=Measurement.Status.APPROVED)
    if start is not None:
        measurements = measurements.filter(date__gte=start)
    if end is not None:
        measurements = measurements.filter(date__lte=end)
    rows = (
        measurements.annotate(
            rank=Window(RowNumber(), partition_by=[F("indicator_id")], order_by=[F("date").desc(), F("pk").desc()])
        )
        .filter(rank=1)
        .values("indicator_id", "value_women", "value_men", "value_micro", "value_small", "value_medium", "value_large")
    )
    result = {}
    for row in rows:
        by_sex = [
            (label, row[key])
            for label, key in ((_("women"), "value_women"), (_("men"), "value_men"))
            if row[key] is not None
        ]
        by_size = [
            (str(size.label), row[key])
            for size, key in (
                (Actor.Size.MICRO, "value_micro"),
                (Actor.Size.SMALL, "value_small"),
                (Actor.Size.MEDIUM, "value_medium"),
                (Actor.Size.LARGE, "value_large"),
            )
            if row[key] is not None
        ]
        if by_sex or by_size:
            result[row["indicator_id"]] = (by_sex, by_size)
    return result


def evaluation_summary(cluster, *, as_of=None) -> EvaluationSummary | None:
    """The cluster's most recent evaluation (up to ``as_of``) with its ratings in the article's order, as its
    evaluations page picks it (``clusters.selectors.latest_evaluation``)."""
    evaluation = cluster_selectors.latest_evaluation(cluster, as_of=as_of)
    if evaluation is None:
        return None
    return EvaluationSummary(
        date=evaluation.date,
        evaluator=report_person(evaluation.evaluator),
        summary=evaluation.summary,
        ratings=[
            RiskLine(str(rating.get_risk_display()), rating.level, str(rating.get_level_display()), rating.note)
            for rating in evaluation.ordered_ratings
        ],
    )


def _interviews(cluster, start, end):
    return _interviews_of([cluster.pk], start, end)


def _interviews_of(cluster_ids, start, end):
    """The interviews of these clusters dated in the period (either end may be open)."""
    interviews = Interview.objects.filter(cluster_id__in=cluster_ids).order_by()
    if start is not None:
        interviews = interviews.filter(date__gte=start)
    if end is not None:
        interviews = interviews.filter(date__lte=end)
    return interviews


def main_version(cluster, start, end, counted) -> QuestionnaireVersion | None:
    """The questionnaire version most of the counted interviews of the period used (the newest on a tie).

    A report's findings are about one version, so that every answer is read against the questions asked.
    """
    row = (
        _interviews(cluster, start, end)
        .filter(status__in=counted)
        .values("version")
        .annotate(n=Count("pk"))
        .order_by("-n", "-version__number")
        .first()
    )
    if row is None:
        return None
    return QuestionnaireVersion.objects.select_related("questionnaire").get(pk=row["version"])


def interview_findings(cluster, version, start, end, counted) -> Findings | None:
    """What the counted interviews said, question by question, from the findings page's own selector."""
    if version is None:
        return None
    found = findings(cluster=cluster, version=version, statuses=counted, date_from=start, date_to=end)
    year_questions = _year_questions(version)
    return Findings(
        questionnaire=found.questionnaire_name,
        version=found.version_number,
        sample_size=found.sample_size,
        first_date=found.first_date,
        last_date=found.last_date,
        questions=[
            QuestionFinding(
                code=question.code,
                label=str(question.label),
                type=question.type,
                section=str(question.section_title or ""),
                n=question.n,
                options=[OptionShare(str(label), count, float(share)) for label, count, share in question.options],
                stats=NumberStats(
                    question.stats.mean, question.stats.median, question.stats.minimum, question.stats.maximum
                )
                if question.stats
                else None,
                quotes=[Quote(quote.text, quote.count) for quote in question.quotes],
                number_kind=_number_kind(question, year_questions),
            )
            for question in found.questions
        ],
    )


def _year_questions(version) -> set[str]:
    """The codes of the integer questions whose bounds allow only years (one query)."""
    low, high = YEARS
    return set(
        Question.objects.filter(
            version=version, type=Question.Type.INTEGER, min_value__gte=low, max_value__lte=high
        ).values_list("code", flat=True)
    )


def _number_kind(question, year_questions) -> str:
    if question.code in year_questions:
        return "year"
    stats = question.stats
    if (
        question.type == Question.Type.INTEGER
        and stats is not None
        and stats.minimum is not None
        and 1800 <= stats.minimum <= stats.maximum <= YEARS[1]
    ):
        # Every answer a plausible year: a founding year asked without bounds.
        return "year"
    if question.type in (Question.Type.INTEGER, Question.Type.SCALE):
        return "integer"
    return "decimal"


def interview_methodology(
    cluster,
    start: datetime.date | None,
    end: datetime.date | None,
    counted: list[str],
    version=None,
    *,
    members: int = 0,
) -> Methodology:
    """The sample behind the report: interviews of the period by status, the counted ones by mode, how many
    members they reached, and the questionnaire version the findings read (three grouped queries)."""
    interviews = _interviews(cluster, start, end)
    by_status = dict(interviews.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    included = interviews.filter(status__in=counted)
    by_mode = dict(included.values_list("mode").annotate(n=Count("pk")).values_list("mode", "n"))
    reached = included.filter(actor__memberships__cluster=cluster).values("actor").distinct().count()
    return Methodology(
        questionnaire=version.questionnaire.name if version else "",
        version=version.number if version else None,
        interviews_by_status=[
            Counted(str(status.label), by_status[status], str(status.value))
            for status in STATUS_ORDER
            if by_status.get(status)
        ],
        interviews_by_mode=[
            Counted(str(mode.label), by_mode[mode], str(mode.value)) for mode in Interview.Mode if by_mode.get(mode)
        ],
        members=members,
        interviewed_actors=reached,
    )


def sources(cluster, included, end, groups) -> Sources:
    """The counted interviews (each one when few, else by month) and the documents the figures cite
    (three queries)."""
    modes = dict(Interview.Mode.choices)
    # Both queries always, so that their number does not depend on how many interviews there are.
    listed = list(included.order_by("date", "pk").values_list("date", "actor__name", "mode")[: INTERVIEWS_LISTED + 1])
    by_month = [
        Counted(f"{month:%Y-%m}", n)
        for month, n in included.annotate(month=TruncMonth("date"))
        .values_list("month")
        .annotate(n=Count("pk"))
        .order_by("month")
        .values_list("month", "n")
    ]
    total = sum(count.count for count in by_month)
    if len(listed) > INTERVIEWS_LISTED:
        listed = []
    else:
        by_month = []
    documents = set(HeadlineFigure.objects.filter(cluster=cluster).exclude(source="").values_list("source", flat=True))
    measurements = Measurement.objects.filter(
        indicator__intervention__cluster=cluster, status=Measurement.Status.APPROVED
    ).exclude(source="")
    if end is not None:
        measurements = measurements.filter(date__lte=end)
    documents |= set(measurements.values_list("source", flat=True).distinct())
    return Sources(
        interviews=[InterviewLine(day, actor, str(modes.get(mode, mode))) for day, actor, mode in listed],
        interview_total=total,
        by_month=by_month,
        documents=sorted(documents, key=str.casefold),
    )


def why_this_cluster(cluster) -> WhyThisCluster | None:
    """The cluster's scores in the current prioritisation (mapping/), or None without economic data."""
    from mapping.selectors import cluster_scores

    scores = cluster_scores(cluster, cells=0)
    if scores is None or scores.rank is None:
        return None
    return WhyThisCluster(
        dataset=scores.dataset_name,
        source=scores.dataset_source,
        illustrative=scores.illustrative,
        first_year=scores.first_year,
        last_year=scores.last_year,
        rank=scores.rank,
        of=scores.of,
        score=scores.score,
        kept=scores.kept,
        scenarios=scores.scenarios,
        step=scores.step,
        location_quotient=scores.location_quotient,
        stars=scores.best_stars,
        criteria=[
            ScoreLine(item.label, item.raw, item.normalised, float(item.weight), item.lower_is_better)
            for item in scores.criteria
        ],
    )
