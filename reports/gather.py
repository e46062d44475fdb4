"""Gathering a case study: what the database says about one cluster, as ``reports.casestudy`` data.

Every figure is counted by the database (grouped queries), so the number of queries does not depend on
how many actors or interviews the cluster has. Display strings are localised in the report's language.

The network, the interview findings and the interventions come from the selectors that their pages use
(``clusters.selectors.network_summary``, ``surveys.selectors.findings``,
``instruments.selectors.cluster_instruments``), so the PDF and the site always say the same.
"""

import datetime

from django.db.models import Count
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from clusters.models import Actor, Cluster, Evaluation, HeadlineFigure, Membership, Risk
from clusters.selectors import network_summary
from instruments.selectors import cluster_instruments
from reports.casestudy import (
    ActorSummary,
    CaseStudyData,
    ClusterProfile,
    EvaluationSummary,
    Figure,
    Findings,
    GoalGroup,
    IndicatorSummary,
    InterventionSummary,
    Methodology,
    NumberStats,
    OptionShare,
    QuestionFinding,
    RiskLine,
    ScoreLine,
    WhyThisCluster,
    network_from_registry,
)
from reports.casestudy import Count as Counted
from surveys.models import Interview, QuestionnaireVersion
from surveys.selectors import findings

# The order in which interview statuses are listed in the methodology annex.
STATUS_ORDER = [
    Interview.Status.APPROVED,
    Interview.Status.SUBMITTED,
    Interview.Status.RETURNED,
    Interview.Status.DRAFT,
]


def gather_case_study(job, *, author=None, now=None) -> CaseStudyData:
    """The case study that ``job`` asks for (saved or not), in the job's language.

    ``author`` defaults to the name of the person who asked for it.
    """
    now = now or timezone.now()
    with translation.override(job.language):
        cluster = (
            Cluster.objects.select_related("main_sector", "coordinator").prefetch_related("team").get(pk=job.cluster_id)
        )
        counted = counted_statuses(job.include_submitted)
        version = main_version(cluster, job.period_start, job.period_end, counted)
        return CaseStudyData(
            language=job.language,
            generated_at=now,
            period_start=job.period_start,
            period_end=job.period_end,
            include_submitted=job.include_submitted,
            author=author or _person(job.requested_by),
            cluster=cluster_profile(cluster, as_of=job.period_end),
            actors=actor_summary(cluster, as_of=job.period_end),
            network=network_from_registry(network_summary(cluster)),
            findings=interview_findings(cluster, version, job.period_start, job.period_end, counted),
            interventions=intervention_groups(cluster, job.period_start, job.period_end),
            evaluation=latest_evaluation(cluster, as_of=job.period_end),
            methodology=interview_methodology(cluster, job.period_start, job.period_end, counted, version),
            why=why_this_cluster(cluster),
        )


def counted_statuses(include_submitted):
    """The interview statuses a report counts: approved, and submitted when asked for."""
    if include_submitted:
        return [Interview.Status.APPROVED, Interview.Status.SUBMITTED]
    return [Interview.Status.APPROVED]


def _person(user):
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def cluster_profile(cluster, *, as_of=None) -> ClusterProfile:
    """Name, place, sectors, stage, people and the latest headline figure of each kind (up to ``as_of``)."""
    figures = HeadlineFigure.objects.filter(cluster=cluster).order_by("metric", "-year")
    if as_of is not None:
        figures = figures.filter(year__lte=as_of.year)
    latest = {}
    for figure in figures:
        latest.setdefault(figure.metric, figure)
    order = list(HeadlineFigure.Metric)
    return ClusterProfile(
        name=cluster.name,
        slug=cluster.slug,
        description=cluster.description,
        regions=list(cluster.regions.order_by("code").values_list("name", flat=True)),
        main_sector=_sector(cluster.main_sector),
        related_sectors=[_sector(sector) for sector in cluster.related_sectors.order_by("code")],
        stage=str(cluster.get_stage_display()),
        status=str(cluster.get_status_display()),
        coordinator=_person(cluster.coordinator),
        team=sorted(_person(user) for user in cluster.team.all()),
        figures=[
            Figure(
                label=str(figure.get_metric_display()),
                value=figure.value,
                unit="",  # the metric's label says it: "Ventas anuales (S/)", "Exportaciones (US$ FOB)"
                year=figure.year,
                source=figure.source,
            )
            for figure in sorted(latest.values(), key=lambda figure: order.index(figure.metric))
        ],
    )


def _sector(sector):
    return f"{sector.code} · {sector.name}"


def actor_summary(cluster, *, as_of=None) -> ActorSummary:
    """The cluster's members counted by kind, by firm size and by role (three grouped queries)."""
    members = Membership.objects.filter(cluster=cluster)
    if as_of is not None:
        members = members.exclude(since__gt=as_of)

    def grouped(field):
        return dict(members.order_by().values_list(field).annotate(n=Count("pk")).values_list(field, "n"))

    by_role = grouped("role")
    by_kind = grouped("actor__kind")
    by_size = grouped("actor__size")

    def counts(tally, choices):
        items = [Counted(str(choices(key).label), count, key) for key, count in tally.items() if key]
        return sorted(items, key=lambda item: (-item.count, item.label))

    sizes = [Counted(str(label), by_size[value], value) for value, label in Actor.Size.choices if by_size.get(value)]
    if by_size.get(""):
        sizes.append(Counted(_("Size not recorded"), by_size[""], ""))
    return ActorSummary(
        total=sum(by_role.values()),
        by_kind=counts(by_kind, Actor.Kind),
        by_size=sizes,
        by_role=counts(by_role, Membership.Role),
    )


def intervention_groups(cluster, start, end) -> list[GoalGroup]:
    """The cluster's interventions by goal with budget and indicator progress, from the instruments tab's selector."""
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
                        )
                        for indicator in intervention.indicators
                    ],
                )
                for intervention in group.interventions
            ],
        )
        for group in cluster_instruments(cluster, period_start=start, period_end=end)
    ]


def latest_evaluation(cluster, *, as_of=None) -> EvaluationSummary | None:
    """The cluster's most recent evaluation (up to ``as_of``) with its ratings in the article's order."""
    evaluations = Evaluation.objects.filter(cluster=cluster).select_related("evaluator").order_by("-date", "-pk")
    if as_of is not None:
        evaluations = evaluations.filter(date__lte=as_of)
    evaluation = evaluations.prefetch_related("ratings").first()
    if evaluation is None:
        return None
    order = list(Risk)
    ratings = sorted(evaluation.ratings.all(), key=lambda rating: order.index(rating.risk))
    return EvaluationSummary(
        date=evaluation.date,
        evaluator=_person(evaluation.evaluator),
        summary=evaluation.summary,
        ratings=[
            RiskLine(str(rating.get_risk_display()), rating.level, str(rating.get_level_display()), rating.note)
            for rating in ratings
        ],
    )


def _interviews(cluster, start, end):
    interviews = Interview.objects.filter(cluster=cluster).order_by()
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
                quotes=list(question.quotes),
            )
            for question in found.questions
        ],
    )


def interview_methodology(
    cluster, start: datetime.date | None, end: datetime.date | None, counted: list[str], version=None
) -> Methodology:
    """The sample behind the report: interviews of the period by status, the counted ones by mode, and the
    questionnaire version the findings read (two grouped queries)."""
    interviews = _interviews(cluster, start, end)
    by_status = dict(interviews.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    included = interviews.filter(status__in=counted)
    by_mode = dict(included.values_list("mode").annotate(n=Count("pk")).values_list("mode", "n"))
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
