"""The cluster case study as a PDF: a pure function from ``CaseStudyData`` to bytes.

No database, no files: the gatherer fills ``reports.casestudy`` dataclasses, this module lays them out
with ReportLab platypus (through ``reports.pdf``), and the task stores the bytes. Fixed text is English
gettext, rendered inside ``translation.override(data.language)``; numbers and dates follow the
language's formats. User text reaches ReportLab only through ``reports.formatting.markup``/``pdf_text``.
"""

import datetime
import io
from collections.abc import Callable
from decimal import Decimal

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import KeepTogether, NextPageTemplate, PageBreak, Paragraph, Spacer, Table

from reports import charts
from reports.casestudy import (
    CaseStudyData,
    Count,
    EvaluationSummary,
    IndicatorSummary,
    InterventionSummary,
    QuestionFinding,
)
from reports.formatting import (
    clip,
    joined,
    long_date,
    markup,
    money,
    number,
    of_answers,
    percent,
    period,
    quantity,
    statistic,
)
from reports.pdf import (
    CREATOR,
    TEXT_WIDTH,
    BuildError,
    BuiltReport,
    Cover,
    Heading,
    Progress,
    ReportDocument,
    bullets,
    chapter,
    composing,
    contents,
    facts,
    local,
    p,
    rich,
    side_by_side,
    spacer,
    styles,
    table,
    tiles,
    titled,
)

__all__ = ["BuildError", "BuiltReport", "build_case_study"]

# How many quotes per text question, and how long each may be.
QUOTE_LENGTH = 400
# The executive summary's findings: at most this many, each from a question at least MIN_ANSWERS answered.
KEY_FINDINGS = 5
MIN_ANSWERS = 3
# Activities listed one by one under an intervention (the totals count them all).
ACTIVITIES_LISTED = 5
# Question types the findings know how to print (surveys.models.Question.Type values); any other is left out.
CHOICE_TYPES = {"single_choice", "multiple_choice", "yes_no", "scale", "actor_relationship"}
NUMBER_TYPES = {"integer", "decimal", "scale"}
TEXT_TYPES = {"text", "long_text"}
SUMMARISED_TYPES = CHOICE_TYPES | NUMBER_TYPES | TEXT_TYPES

PLANNED = colors.HexColor("#BFC8D0")
# Risk levels: a pale fill with the level written in the cell, never colour alone.
LEVEL_FILLS = {
    "serious": colors.HexColor("#F6D5D5"),
    "watch": colors.HexColor("#FCEBC2"),
    "no_risk": colors.HexColor("#D6EDD8"),
}
LEVEL_INKS = {"serious": colors.HexColor("#8E1B1B"), "watch": colors.HexColor("#6B4A00"), "no_risk": charts.GOOD}
LEVEL_ORDER = ["serious", "watch", "no_risk"]


def build_case_study(data: CaseStudyData, on_progress: Callable[[int], None] | None = None) -> BuiltReport:
    """The case study of one cluster as PDF bytes, with its page count.

    ``on_progress`` receives increasing percentages (ending at 100), e.g. to update a ReportJob row.
    Raises ``reports.pdf.BuildError`` when the data cannot be laid out (trying again would not help).
    """
    progress = Progress(on_progress)
    with translation.override(data.language):
        progress(2)
        sheet = styles()
        story = [*_cover(data, sheet), PageBreak(), *contents(sheet)]
        sections = [
            _executive_summary,
            _diagnosis,
            _cluster_profile,
            _actors,
            _network,
            _findings,
            _interventions,
            _evaluation,
            _annexes,
        ]
        story.append(PageBreak())
        with composing():
            for number_, section in enumerate(sections, start=1):
                story += section(data, sheet, number_)
                progress(2 + 30 * number_ // len(sections))
        buffer = io.BytesIO()
        cluster = data.cluster.name
        draft = data.edition is not None and data.edition.status != "final"
        document = ReportDocument(
            buffer,
            cover=Cover(
                programme=data.programme.name,
                institution=data.programme.institution,
                logo=data.programme.logo,
                running_title=cluster,
                running_label=_("Case study") + (" · " + _("Draft") if draft else ""),
                footer=data.programme.institution or data.programme.name or CREATOR,
            ),
            language=data.language,
            generated_at=data.generated_at,
            title=f"{cluster} — {_('Case study')}",
            author=data.author,
            subject=_("Case study of the cluster %(cluster)s, %(period)s")
            % {"cluster": cluster, "period": period(data.period_start, data.period_end)},
            keywords=[cluster, *data.cluster.regions, data.cluster.main_sector],
            progress=progress,
        )
        document.build_story(story)
        progress(100)
    return BuiltReport(pdf=buffer.getvalue(), page_count=document.page_total)


# --- Helpers ---


def _share(part, whole) -> str:
    """``part`` as a percentage of ``whole`` (counts or Decimal amounts); a dash when there is no whole."""
    return percent(float(part) / float(whole)) if whole else "—"


def _count_rows(counts: list[Count], total: int) -> list[list[str]]:
    return [[count.label, number(count.count), _share(count.count, total)] for count in counts]


def _active(data: CaseStudyData) -> list[InterventionSummary]:
    return [item for group in data.interventions for item in group.interventions if not item.cancelled]


def _cancelled(data: CaseStudyData) -> list[InterventionSummary]:
    return [item for group in data.interventions for item in group.interventions if item.cancelled]


def _budget(items: list[InterventionSummary]):
    return (
        sum((item.budget_planned for item in items), start=0),
        sum((item.budget_executed for item in items), start=0),
    )


def _counted_rule(data: CaseStudyData) -> str:
    if data.include_submitted:
        return _("Interviews count when they have been approved by a coordinator or submitted for review.")
    return _("Only interviews approved by a coordinator count; submitted ones still under review do not.")


# --- Cover ---


def _cover(data: CaseStudyData, sheet) -> list:
    cluster = data.cluster
    lines = [
        (_("Regions"), joined(cluster.regions)),
        (_("Main sector"), cluster.main_sector),
        (_("Period"), period(data.period_start, data.period_end)),
        (_("Date of this report"), long_date(local(data.generated_at))),
    ]
    if data.author:
        lines.append((_("Prepared by"), data.author))
    if data.programme.institution:
        lines.append((_("Institution"), data.programme.institution))
    story = [Spacer(1, 4.6 * cm), p(cluster.name, sheet.cover_title), p(_("Case study"), sheet.cover_subtitle)]
    if data.edition is not None:
        story.append(p(data.edition.title, sheet.cover_line))
        if data.edition.status != "final":
            story.append(p(_("Draft: the coordination has not marked this edition as final."), sheet.cover_draft))
        story.append(Spacer(1, 10))
    for label, value in lines:
        story.append(
            rich("<font color='#666666'>%(label)s:</font> %(value)s", sheet.cover_line, label=label, value=value)
        )
    story += [NextPageTemplate("body")]
    return story


# --- 1. Executive summary ---


def _executive_summary(data: CaseStudyData, sheet, number_: int) -> list:
    cluster = data.cluster
    interviews = data.findings.sample_size if data.findings else 0
    active = _active(data)
    planned, executed = _budget(active)
    story = chapter(_("Executive summary"), sheet, number_)
    code, _sep, name = cluster.main_sector.partition(" · ")
    sector = (
        _("the sector «%(name)s» (CIIU %(code)s)") % {"name": name, "code": code}
        if name
        else (cluster.main_sector or "—")
    )
    story.append(
        p(
            _(
                "%(cluster)s brings together %(actors)s actors of %(regions)s in %(sector)s. "
                "Lifecycle stage: %(stage)s. Programme status: %(status)s. This report covers %(period)s."
            )
            % {
                "cluster": cluster.name,
                "actors": number(data.actors.total),
                "regions": joined(cluster.regions) or "—",
                "sector": sector,
                "stage": cluster.stage,
                "status": cluster.status,
                "period": period(data.period_start, data.period_end),
            },
            sheet.lead,
        )
    )
    executed_label = _("Budget executed")
    if planned:
        executed_label += " (" + _("%(share)s of the planned budget") % {"share": _share(executed, planned)} + ")"
    story += [
        tiles(
            [
                (number(data.actors.total), _("Actors in the cluster")),
                (number(len(data.network.edges)), _("Ties between actors")),
                (number(interviews), _("Interviews analysed")),
                (number(len(active)), _("Interventions")),
                (money(planned), _("Budget planned")),
                (money(executed), executed_label),
            ],
            sheet,
        ),
        spacer(10),
    ]
    findings = _key_findings(data)
    if findings:
        story.append(Heading(_("Key findings"), sheet.h2, level=1))
        for finding in findings:
            story.append(Paragraph(finding, sheet.bullet, bulletText="•"))
    story.append(Heading(_("Risks to watch"), sheet.h2, level=1))
    story += _risks_to_watch(data.evaluation, sheet)
    return story


def _key_findings(data: CaseStudyData) -> list[str]:
    """Three to five findings, as paragraph markup: the coordinator's own, else the answers most respondents
    gave (the top option of a question, or a text answer said by several), among the questions that at
    least a third of the sample answered."""
    if data.edition is not None and data.edition.key_findings.strip():
        lines = [line.strip().lstrip("-*•").strip() for line in data.edition.key_findings.splitlines()]
        return [markup(clip(line, 600)) for line in lines if line][:KEY_FINDINGS]
    findings = data.findings
    if findings is None or not findings.sample_size:
        return []
    candidates = []
    # A question a third of the sample answered at least (a follow-up asked of three is not a key finding).
    least = max(MIN_ANSWERS, findings.sample_size / 3)
    for question in findings.questions:
        if question.n < least or question.type not in SUMMARISED_TYPES:
            continue
        if question.options and question.type in CHOICE_TYPES:
            top = max(question.options, key=lambda option: option.count)
            if top.count:
                candidates.append((top.count / question.n, question, top.label, top.count))
        elif question.quotes and question.quotes[0].count > 1:
            quote = question.quotes[0]
            candidates.append((quote.count / question.n, question, f"“{clip(quote.text, 160)}”", quote.count))
    # The answers given by the most respondents first, then by their share.
    candidates.sort(key=lambda item: (-item[3], -item[0], item[1].label))
    return [
        f"{markup(question.label)} — <b>{markup(answer)}</b> ({markup(of_answers(count, question.n))}, "
        f"{markup(percent(share))})"
        for share, question, answer, count in candidates[:KEY_FINDINGS]
    ]


def _risks_to_watch(evaluation: EvaluationSummary | None, sheet) -> list:
    if evaluation is None:
        return [p(_("The cluster has not been evaluated against the programme's risks yet."), sheet.body)]
    rated = [line for line in evaluation.ratings if line.level in ("serious", "watch")]
    rated.sort(key=lambda line: LEVEL_ORDER.index(line.level))
    if not rated:
        return [
            p(
                _("The evaluation of %(date)s rates no risk as serious or to watch.")
                % {"date": long_date(evaluation.date)},
                sheet.body,
            )
        ]
    serious = sum(line.level == "serious" for line in rated)
    story = [
        p(
            _("The evaluation of %(date)s rates %(serious)s as serious and %(watch)s to watch:")
            % {
                "date": long_date(evaluation.date),
                "serious": ngettext("%(count)s risk", "%(count)s risks", serious) % {"count": number(serious)},
                "watch": number(len(rated) - serious),
            },
            sheet.body,
        )
    ]
    for line in rated:
        template = "<b>%(risk)s</b> (%(level)s)" + (". %(note)s" if line.note else "")
        story.append(
            Paragraph(
                template
                % {
                    "risk": markup(line.risk),
                    "level": markup(line.level_label),
                    "note": markup(clip(line.note, 600)),
                },
                sheet.bullet,
                bulletText="•",
            )
        )
    return story


# --- 2. Diagnosis (the coordinator's text) ---


def _diagnosis(data: CaseStudyData, sheet, number_: int) -> list:
    story = chapter(_("Diagnosis, lessons and recommendations"), sheet, number_)
    edition = data.edition
    if edition is None:
        story.append(
            p(
                _(
                    "The coordination has not written a diagnosis for this report yet. Coordinators write it on "
                    "the site, under Reports → Editions, and the next report includes it."
                ),
                sheet.body,
            )
        )
        return story
    story.append(
        p(
            _("%(title)s, written by %(author)s (%(status)s, last changed on %(date)s).")
            % {
                "title": edition.title,
                "author": edition.author or "—",
                "status": edition.status_label,
                "date": long_date(edition.updated),
            },
            sheet.small,
        )
    )
    parts = [
        (_("Strengths"), edition.strengths),
        (_("Weaknesses"), edition.weaknesses),
        (_("Lessons learned"), edition.lessons),
        (_("Recommendations"), edition.recommendations),
    ]
    written = [(title, text) for title, text in parts if text.strip()]
    if not written:
        story.append(p(_("This edition has no diagnosis text yet."), sheet.body))
    for title, text in written:
        paragraphs = bullets(text, sheet.bullet)
        story += [Heading(title, sheet.h2, level=1), *paragraphs]
    return story


# --- 3. Cluster profile ---


def _cluster_profile(data: CaseStudyData, sheet, number_: int) -> list:
    cluster = data.cluster
    story = chapter(_("Cluster profile"), sheet, number_)
    if cluster.description:
        story.append(p(cluster.description, sheet.body))
    story.append(
        facts(
            [
                (_("Regions"), joined(cluster.regions)),
                (_("Main sector"), cluster.main_sector),
                (_("Related sectors"), "; ".join(cluster.related_sectors)),
                (_("Lifecycle stage"), cluster.stage),
                (_("Status"), cluster.status),
                (_("Coordinator"), cluster.coordinator),
                (_("Team"), ", ".join(cluster.team)),
            ],
            sheet,
        )
    )
    heading = Heading(_("Headline figures"), sheet.h2, level=1)
    if not cluster.figures:
        story += [heading, p(_("No headline figures have been recorded for this cluster."), sheet.body)]
        return story + _why_this_cluster(data, sheet)
    rows = [[_("Figure"), _("Value"), _("Year"), _("Source")]]
    for figure in cluster.figures:
        value = quantity(figure.value)
        if figure.unit:
            value = f"{value} {figure.unit}" if figure.unit != "%" else f"{value}%"
        rows.append([figure.label, value, str(figure.year), figure.source])
    widths = [TEXT_WIDTH * share for share in (0.3, 0.22, 0.08, 0.4)]
    story.append(titled(heading, table(rows, widths, sheet, numeric_columns=(1, 2))))
    history = [series for series in cluster.figure_history if len(series.points) > 1]
    if history:
        years = sorted({year for series in history for year, _value in series.points})[-6:]
        rows = [[_("Figure"), *[str(year) for year in years]]]
        for series in history:
            values = dict(series.points)
            rows.append([series.label, *[quantity(values[year]) if year in values else "—" for year in years]])
        first = TEXT_WIDTH * 0.3
        widths = [first] + [(TEXT_WIDTH - first) / len(years)] * len(years)
        story.append(
            titled(
                Heading(_("Headline figures over the years"), sheet.h2, level=1),
                table(rows, widths, sheet, numeric_columns=tuple(range(1, len(years) + 1))),
            )
        )
    return story + _why_this_cluster(data, sheet)


def _why_this_cluster(data: CaseStudyData, sheet) -> list:
    """The cluster's place in the programme's prioritisation (mapping/), when there is economic data."""
    why = data.why
    if why is None:
        return []
    story = []
    if why.illustrative:
        story.append(p(_("Illustrative data: generated for the demonstration, not official statistics."), sheet.body))
    story.append(
        p(
            _(
                "Rank %(rank)s of %(of)s registered clusters (score %(score)s) in the prioritisation made with "
                "“%(dataset)s” (%(source)s, %(first)s-%(last)s). With each weight moved by ±%(step)s, it keeps "
                "its rank in %(kept)s of %(scenarios)s scenarios."
            )
            % {
                "rank": why.rank,
                "of": why.of,
                "score": number(why.score, 3),
                "dataset": why.dataset,
                "source": why.source,
                "first": why.first_year,
                "last": why.last_year,
                "step": percent(why.step),
                "kept": why.kept,
                "scenarios": why.scenarios,
            },
            sheet.body,
        )
    )
    if why.location_quotient is not None:
        story.append(
            p(
                _("Location quotient of its territories in its activity: %(lq)s; cluster stars: %(stars)s of 3.")
                % {"lq": number(why.location_quotient, 2), "stars": why.stars},
                sheet.body,
            )
        )
    rows = [[_("Criterion"), _("Value"), _("Normalised"), _("Weight")]]
    for line in why.criteria:
        label = f"{line.label} ({_('less is better')})" if line.lower_is_better else line.label
        raw = _("no data") if line.raw is None else quantity(Decimal(repr(line.raw)))
        rows.append([label, raw, number(line.normalised, 2), quantity(Decimal(repr(line.weight)))])
    widths = [TEXT_WIDTH * share for share in (0.46, 0.22, 0.16, 0.16)]
    story.append(table(rows, widths, sheet, numeric_columns=(1, 2, 3)))
    return [titled(Heading(_("Why this cluster"), sheet.h2, level=1), story[0]), *story[1:]]


# --- 4. Actors ---


def _actors(data: CaseStudyData, sheet, number_: int) -> list:
    actors = data.actors
    story = chapter(_("The actors"), sheet, number_)
    if not actors.total:
        story.append(p(_("No actors have been registered as members of this cluster yet."), sheet.body))
        return story
    story.append(
        p(
            ngettext(
                "%(count)s organisation takes part in the cluster.",
                "%(count)s organisations take part in the cluster.",
                actors.total,
            )
            % {"count": number(actors.total)},
            sheet.body,
        )
    )
    if actors.by_kind:
        bars = [
            charts.Bar(
                count.label,
                count.count,
                f"{number(count.count)} ({_share(count.count, actors.total)})",
                charts.kind_colour(count.key),
            )
            for count in actors.by_kind
        ]
        story.append(
            titled(Heading(_("By kind of organisation"), sheet.h2, level=1), charts.bar_chart(bars, TEXT_WIDTH))
        )
    heading = Heading(_("Firms by size (Ley 30056)"), sheet.h2, level=1)
    explanation = p(
        ngettext(
            "Size applies to firms (firms, suppliers and buyers): %(firms)s of the members. ",
            "Size applies to firms (firms, suppliers and buyers): %(firms)s of the members. ",
            actors.firms,
        )
        % {"firms": number(actors.firms)}
        + ngettext(
            "For the other %(others)s member (universities, agencies, associations ...) it does not apply.",
            "For the other %(others)s members (universities, agencies, associations ...) it does not apply.",
            actors.not_firms,
        )
        % {"others": number(actors.not_firms)},
        sheet.small,
    )
    if actors.firms and actors.by_size:
        bars = [
            charts.Bar(count.label, count.count, f"{number(count.count)} ({_share(count.count, actors.firms)})")
            for count in actors.by_size
        ]
        story.append(titled(heading, explanation, charts.bar_chart(bars, TEXT_WIDTH)))
    else:
        story.append(titled(heading, explanation))
    if actors.by_role:
        rows = [[_("Role in the cluster"), _("Actors"), _("Share")], *_count_rows(actors.by_role, actors.total)]
        story.append(
            titled(
                Heading(_("By role in the cluster"), sheet.h2, level=1),
                table(rows, [TEXT_WIDTH * 0.6, TEXT_WIDTH * 0.2, TEXT_WIDTH * 0.2], sheet, numeric_columns=(1, 2)),
            )
        )
    return story


# --- 5. Network ---


def _network(data: CaseStudyData, sheet, number_: int) -> list:
    network = data.network
    story = chapter(_("The network of relationships"), sheet, number_)
    if not network.nodes:
        story.append(p(_("No relationships between actors have been recorded yet."), sheet.body))
        return story
    rule = (
        _("ties reported in the interviews this report counts (approved or submitted, of the period)")
        if data.include_submitted
        else _("ties reported in the interviews this report counts (approved, of the period)")
    )
    entered = (
        _("and ties entered by the coordination up to %(date)s") % {"date": long_date(data.period_end)}
        if data.period_end
        else _("and ties entered by the coordination")
    )
    story.append(
        p(
            _("%(actors)s actors are linked by %(ties)s ties: %(rule)s, %(entered)s.")
            % {
                "actors": number(len(network.nodes)),
                "ties": number(len(network.edges)),
                "rule": rule,
                "entered": entered,
            },
            sheet.body,
        )
    )
    drawn = network.nodes
    if len(drawn) > charts.MAX_DRAWN_NODES:
        drawn = sorted(drawn, key=lambda node: (-node.degree, node.name))[: charts.MAX_DRAWN_NODES]
        story.append(
            p(
                _(
                    "The diagram shows the %(shown)s most connected of %(total)s actors and the ties among them; "
                    "the measures below cover the whole network."
                )
                % {"shown": number(len(drawn)), "total": number(len(network.nodes))},
                sheet.small,
            )
        )
    drawn = sorted(drawn, key=lambda node: (node.name.casefold(), node.id))
    numbers = {node.id: position for position, node in enumerate(drawn, start=1)}
    ties = [
        (edge.source_id, edge.target_id, edge.kind)
        for edge in network.edges
        if edge.source_id in numbers and edge.target_id in numbers
    ]
    order = list(charts.KIND_COLOURS)
    kinds = sorted(
        dict.fromkeys((node.kind, node.kind_label) for node in drawn),
        key=lambda kind: order.index(kind[0]) if kind[0] in order else len(order),
    )
    tie_order = list(charts.TIE_STYLES)
    tie_kinds = sorted(
        dict.fromkeys((edge.kind, edge.kind_label) for edge in network.edges),
        key=lambda kind: tie_order.index(kind[0]) if kind[0] in tie_order else len(tie_order),
    )
    diagram = charts.network_diagram(
        [charts.DiagramNode(node.id, numbers[node.id], node.kind, node.degree) for node in drawn],
        ties,
        kinds,
        tie_kinds,
        TEXT_WIDTH,
        TEXT_WIDTH * 0.82,
        network.positions,
    )
    caption = p(
        _(
            "Each circle is an actor, numbered as in the table below, coloured by its kind and larger the more "
            "ties it has. An arrow from A to B reads “A supplies / buys from / trains / finances B”, as the "
            "line's style says; a line without arrowhead is a two-way tie (collaborates with, competes with)."
        ),
        sheet.caption,
    )
    story.append(KeepTogether([diagram, caption]))
    story.append(_numbered_actors(drawn, numbers, sheet))
    metrics = [
        [_("Measure"), _("Value")],
        [_("Actors"), number(len(network.nodes))],
        [_("Ties (each kind of tie between two actors counted once)"), number(len(network.edges))],
        [
            _("Density: ordered pairs of actors linked, of the %(possible)s possible")
            % {"possible": number(network.possible_pairs)},
            f"{number(network.linked_pairs)} ({percent(network.density, 1)})",
        ],
        [_("Connected groups"), number(network.components)],
        [_("Ties between actors of different kinds"), percent(network.cross_kind_share)],
    ]
    metrics += [[_("Ties: %(kind)s") % {"kind": count.label}, number(count.count)] for count in network.ties_by_kind]
    story.append(
        titled(
            Heading(_("Network measures"), sheet.h2, level=1),
            table(metrics, [TEXT_WIDTH * 0.7, TEXT_WIDTH * 0.3], sheet, numeric_columns=(1,)),
        )
    )
    half = (TEXT_WIDTH - 12) / 2
    degree = [[_("Most connected actors"), _("Ties")]] + [
        [item.name, number(item.value)] for item in network.top_degree
    ]
    brokers = [[_("Actors that bridge others"), _("Betweenness")]] + [
        [item.name, number(item.value, 2)] for item in network.top_betweenness
    ]
    pair = side_by_side(
        table(degree, [half * 0.75, half * 0.25], sheet, numeric_columns=(1,)),
        table(brokers, [half * 0.6, half * 0.4], sheet, numeric_columns=(1,)),
        half + 6,
    )
    story.append(titled(Heading(_("Key actors"), sheet.h2, level=1), pair))
    return story


def _numbered_actors(drawn, numbers, sheet) -> Table:
    """The diagram's key: number, actor, kind and ties, in two columns of rows."""
    rows = [[str(numbers[node.id]), node.name, node.kind_label, number(node.degree)] for node in drawn]
    header = [pgettext("ordinal number", "No."), _("Actor"), _("Kind"), _("Ties")]
    if len(rows) <= 24:
        return table([header, *rows], [TEXT_WIDTH * s for s in (0.07, 0.53, 0.28, 0.12)], sheet, numeric_columns=(0, 3))
    # Many actors: two of them a row (the first half on the left, the second on the right), in one table
    # that can run over pages with its header repeated.
    half = (len(rows) + 1) // 2
    left, right = rows[:half], rows[half:] + [["", "", "", ""]] * (half - len(rows[half:]))
    column = TEXT_WIDTH / 2
    widths = [column * share for share in (0.12, 0.45, 0.25, 0.18)] * 2
    paired = [header + header] + [a + b for a, b in zip(left, right, strict=True)]
    return table(paired, widths, sheet, numeric_columns=(0, 3, 4, 7))


# --- 6. Findings ---


def _findings(data: CaseStudyData, sheet, number_: int) -> list:
    findings = data.findings
    story = chapter(_("What the interviews say"), sheet, number_)
    if findings is None or findings.sample_size == 0:
        story.append(
            p(_("No interview in the period meets the report's criteria, so there are no findings."), sheet.body)
        )
        return story
    dates = (
        period(findings.first_date, findings.last_date)
        if findings.first_date and findings.last_date
        else period(data.period_start, data.period_end)
    )
    story.append(
        p(
            ngettext(
                "Findings from %(count)s interview (%(dates)s), questionnaire %(questionnaire)s, version %(version)s.",
                "Findings from %(count)s interviews (%(dates)s), questionnaire %(questionnaire)s, version %(version)s.",
                findings.sample_size,
            )
            % {
                "count": number(findings.sample_size),
                "dates": dates,
                "questionnaire": f"«{findings.questionnaire}»",
                "version": findings.version,
            },
            sheet.body,
        )
    )
    shown = [question for question in findings.questions if question.n > 0 and question.type in SUMMARISED_TYPES]
    unanswered = [question for question in findings.questions if question.n == 0 and question.type in SUMMARISED_TYPES]
    section = None
    position = 0
    for question in shown:
        block = _question(position + 1, question, sheet)
        if not block:
            continue
        position += 1
        if question.section and question.section != section:
            section = question.section
            block = [Heading(section, sheet.h2, level=1), *block]
        story.append(KeepTogether(block))
    if unanswered:
        story.append(
            titled(
                Heading(_("Questions nobody answered in the period"), sheet.h2, level=1),
                p("; ".join(clip(question.label, 200) for question in unanswered) + ".", sheet.small),
            )
        )
    return story


def _question(position: int, question: QuestionFinding, sheet) -> list:
    block = [
        Paragraph(f"{position}. {markup(clip(question.label, 500), font=sheet.h3.fontName)}", sheet.h3),
        p(
            ngettext("%(count)s interview answered.", "%(count)s interviews answered.", question.n)
            % {"count": number(question.n)},
            sheet.small,
        ),
    ]
    body = []
    if question.options and question.type in CHOICE_TYPES:
        top = max(option.count for option in question.options)
        bars = [
            charts.Bar(option.label, option.count, f"{number(option.count)} ({percent(option.share)})")
            for option in question.options
        ]
        body.append(charts.bar_chart(bars, TEXT_WIDTH * 0.9, max_value=top))
        if question.type == "multiple_choice":
            body.append(p(_("Several answers were allowed, so the shares add up to more than 100%."), sheet.small))
    if question.stats is not None and question.type in NUMBER_TYPES:
        if body:
            body.append(p(_average_line(question), sheet.small))
        else:
            body += _number_summary(question, sheet)
    if question.quotes and question.type in TEXT_TYPES:
        for quote in question.quotes:
            body.append(
                rich(
                    "“%(text)s” <font size='8' color='#666666'>— %(count)s</font>",
                    sheet.quote,
                    text=clip(quote.text, QUOTE_LENGTH),
                    count=of_answers(quote.count, question.n),
                )
            )
    if not body:
        return []
    return [*block, *body, Spacer(1, 6)]


def _average_line(question: QuestionFinding) -> str:
    stats = question.stats
    parts = []
    if stats.mean is not None:
        parts.append(_("Mean: %(value)s") % {"value": statistic(stats.mean, question.number_kind)})
    if stats.median is not None:
        parts.append(_("Median: %(value)s") % {"value": statistic(stats.median, question.number_kind)})
    return " · ".join(parts)


def _number_summary(question: QuestionFinding, sheet) -> list:
    stats = question.stats
    kind = question.number_kind
    values = {"mean": stats.mean, "median": stats.median, "minimum": stats.minimum, "maximum": stats.maximum}
    names = {"mean": _("Mean"), "median": _("Median"), "minimum": _("Minimum"), "maximum": _("Maximum")}
    shown = {key: statistic(value, kind) for key, value in values.items()}
    rows = [[names[key] for key in values], [shown[key] for key in values]]
    story = [table(rows, [TEXT_WIDTH * 0.9 / 4] * 4, sheet, numeric_columns=(0, 1, 2, 3))]
    if stats.minimum is not None and stats.maximum is not None and stats.maximum > stats.minimum:
        labels = {key: f"{names[key]} {shown[key]}" for key in values}
        labels["minimum"], labels["maximum"] = shown["minimum"], shown["maximum"]
        story += [
            Spacer(1, 4),
            charts.range_strip(
                float(stats.minimum),
                float(stats.maximum),
                float(stats.median) if stats.median is not None else None,
                float(stats.mean) if stats.mean is not None else None,
                labels,
                TEXT_WIDTH * 0.9,
            ),
        ]
    return story


# --- 7. Interventions ---


def _interventions(data: CaseStudyData, sheet, number_: int) -> list:
    story = chapter(_("Interventions and their results"), sheet, number_)
    active, cancelled = _active(data), _cancelled(data)
    if not active and not cancelled:
        story.append(p(_("No intervention has been registered for this cluster yet."), sheet.body))
        return story
    planned, executed = _budget(active)
    story.append(
        p(
            ngettext(
                "%(count)s intervention with a planned budget of %(planned)s, of which %(executed)s (%(share)s) "
                "has been executed.",
                "%(count)s interventions with a planned budget of %(planned)s, of which %(executed)s (%(share)s) "
                "has been executed.",
                len(active),
            )
            % {
                "count": number(len(active)),
                "planned": money(planned),
                "executed": money(executed),
                "share": _share(executed, planned),
            },
            sheet.body,
        )
    )
    if cancelled:
        lines = "; ".join(
            _("%(title)s (planned %(planned)s, spent %(executed)s)")
            % {"title": item.title, "planned": money(item.budget_planned), "executed": money(item.budget_executed)}
            for item in cancelled
        )
        story.append(
            p(
                ngettext(
                    "Cancelled, and left out of these totals: %(items)s.",
                    "Cancelled, and left out of these totals: %(items)s.",
                    len(cancelled),
                )
                % {"items": lines},
                sheet.small,
            )
        )
    if active:
        rows = [
            (
                item.title,
                [
                    (float(item.budget_planned), money(item.budget_planned), PLANNED),
                    (float(item.budget_executed), money(item.budget_executed), charts.ACCENT),
                ],
            )
            for item in active
        ]
        legend = [(pgettext("budget", "Planned"), PLANNED), (pgettext("budget", "Executed"), charts.ACCENT)]
        story.append(
            titled(
                Heading(_("Budget execution"), sheet.h2, level=1),
                charts.grouped_bar_chart(rows, TEXT_WIDTH, legend=legend),
            )
        )
    stale_before = (data.period_end or local(data.generated_at).date()) - datetime.timedelta(days=data.stale_days)
    for group in data.interventions:
        items = [item for item in group.interventions if not item.cancelled]
        if not items:
            continue
        first, *rest = items
        story.append(
            KeepTogether(
                [
                    p(group.heading, sheet.kicker),
                    Heading(group.goal, sheet.h2, level=1),
                    *_intervention_head(first, sheet),
                ]
            )
        )
        story += _intervention_body(first, sheet, stale_before)
        for item in rest:
            story.append(KeepTogether(_intervention_head(item, sheet)))
            story += _intervention_body(item, sheet, stale_before)
    return story


def _intervention_head(item: InterventionSummary, sheet) -> list:
    execution = _share(item.budget_executed, item.budget_planned)
    pairs = [
        (_("Instrument"), item.instrument),
        (_("Government level"), item.level),
        (_("Status"), item.status),
        (_("Dates"), period(item.start, item.end)),
        (_("Implemented by"), "; ".join(item.implementing) or "—"),
        (_("Funded by"), "; ".join(item.funding) or "—"),
        (_("Budget planned"), money(item.budget_planned)),
        (_("Budget executed"), f"{money(item.budget_executed)} ({execution})"),
        (_("Beneficiary actors"), number(item.beneficiaries)),
    ]
    return [
        Paragraph(markup(clip(item.title, 300), font=sheet.h3.fontName), sheet.h3),
        Spacer(1, 3),
        facts(pairs, sheet),
    ]


def _intervention_body(item: InterventionSummary, sheet, stale_before: datetime.date) -> list:
    story = [Spacer(1, 4)]
    if item.objective:
        story.append(
            rich("<b>%(label)s:</b> %(text)s", sheet.body, label=_("Objective"), text=clip(item.objective, 3000))
        )
    if item.budget_executed > item.budget_planned:
        justification = item.overspend_justification or _("no justification has been recorded.")
        story.append(
            rich(
                "<b>%(label)s:</b> %(text)s",
                sheet.body,
                label=_("Executed above the planned budget"),
                text=clip(justification, 3000),
            )
        )
    if item.activities is not None and item.activities.count:
        story += _activities(item, sheet)
    if not item.indicators:
        story.append(p(_("This intervention has no indicators yet."), sheet.small))
        return story
    rows = [[_("Indicator"), _("Baseline"), _("Latest"), _("Target"), _("Progress towards the target")]]
    progress_width = TEXT_WIDTH * 0.3 - 8
    for indicator in item.indicators:
        rows.append(
            [
                _indicator_name(indicator, sheet, stale_before),
                quantity(indicator.baseline),
                quantity(indicator.latest) if indicator.latest is not None else "—",
                quantity(indicator.target),
                _progress_cell(indicator, progress_width, sheet),
            ]
        )
    widths = [TEXT_WIDTH * share for share in (0.37, 0.11, 0.11, 0.11, 0.3)]
    story.append(
        titled(
            p(_("Indicators"), sheet.h3),
            table(rows, widths, sheet, numeric_columns=(1, 2, 3)),
        )
    )
    for indicator in item.indicators:
        story += _indicator_trend(indicator, sheet)
    story.append(Spacer(1, 8))
    return story


def _activities(item: InterventionSummary, sheet) -> list:
    activities = item.activities
    firms = ", ".join(f"{label}: {number(count)}" for label, count in activities.firms_by_size if count) or "—"
    summary = p(
        ngettext(
            "%(count)s activity with %(people)s participants (%(women)s women, %(men)s men). Firms taking part, "
            "by size: %(firms)s.",
            "%(count)s activities with %(people)s participants (%(women)s women, %(men)s men). Firms taking part, "
            "by size: %(firms)s.",
            activities.count,
        )
        % {
            "count": number(activities.count),
            "people": number(activities.women + activities.men),
            "women": number(activities.women),
            "men": number(activities.men),
            "firms": firms,
        },
        sheet.body,
    )
    if not activities.latest:
        return [summary]
    rows = [[_("Date"), _("Activity"), _("Kind"), _("Women"), _("Men")]]
    for line in activities.latest[:ACTIVITIES_LISTED]:
        rows.append([long_date(line.date), line.title, line.kind, number(line.women), number(line.men)])
    widths = [TEXT_WIDTH * share for share in (0.2, 0.42, 0.18, 0.1, 0.1)]
    heading = (
        _("Latest activities")
        if activities.count > len(rows) - 1
        else ngettext("Activity", "Activities", activities.count)
    )
    return [summary, titled(p(heading, sheet.h3), table(rows, widths, sheet, numeric_columns=(3, 4)))]


def _indicator_name(indicator: IndicatorSummary, sheet, stale_before: datetime.date) -> Paragraph:
    aim = _("to increase") if indicator.direction == "increase" else _("to decrease")
    detail = f"{indicator.unit} · {aim}"
    if indicator.target_date:
        detail += " · " + _("target by %(date)s") % {"date": long_date(indicator.target_date)}
    if indicator.latest_date:
        detail += " · " + _("latest value of %(date)s") % {"date": long_date(indicator.latest_date)}
    flag = ""
    if indicator.latest_date and (indicator.stale or indicator.latest_date < stale_before):
        warning = markup(_("Out of date: no recent measurement."))
        flag = f"<br/><font color='#8E1B1B'><b>{warning}</b></font>"
    return Paragraph(
        f"{markup(clip(indicator.name, 300))}<br/><font size='7' color='#666666'>{markup(detail)}</font>{flag}",
        sheet.cell,
    )


def _progress_cell(indicator: IndicatorSummary, width: float, sheet):
    if indicator.progress is None:
        return p(_("No measurement yet"), sheet.cell)
    bar = charts.progress_bar(indicator.progress, percent(indicator.progress), width)
    if indicator.progress > 1:
        return [bar, Spacer(1, 2), p(_("Target exceeded"), sheet.small)]
    if indicator.progress < 0:
        return [bar, Spacer(1, 2), p(_("Moving away from the target"), sheet.small)]
    return bar


def _indicator_trend(indicator: IndicatorSummary, sheet) -> list:
    """The indicator over time, with its disaggregation: only when it has been measured."""
    if not indicator.series or indicator.baseline_date is None or indicator.target_date is None:
        return []
    chart = charts.trend_chart(
        charts.TrendPoint(indicator.baseline_date, float(indicator.baseline), quantity(indicator.baseline)),
        charts.TrendPoint(indicator.target_date, float(indicator.target), quantity(indicator.target)),
        [charts.TrendPoint(day, float(value), quantity(value)) for day, value in indicator.series],
        TEXT_WIDTH * 0.9,
        date_label=lambda day: day.strftime("%m/%Y"),
        legend=(_("measured"), _("straight path to the target"), _("target")),
    )
    story = [p(indicator.name, sheet.small), chart]
    parts = []
    if indicator.by_sex:
        parts.append(
            _("by sex: %(values)s") % {"values": ", ".join(f"{label} {quantity(v)}" for label, v in indicator.by_sex)}
        )
    if indicator.by_size:
        parts.append(
            _("by firm size: %(values)s")
            % {"values": ", ".join(f"{label} {quantity(v)}" for label, v in indicator.by_size)}
        )
    if parts:
        story.append(p(_("Latest value %(parts)s.") % {"parts": "; ".join(parts)}, sheet.small))
    return [KeepTogether(story), Spacer(1, 4)]


# --- 8. Evaluation ---


def _evaluation(data: CaseStudyData, sheet, number_: int) -> list:
    evaluation = data.evaluation
    story = chapter(_("Latest evaluation"), sheet, number_)
    if evaluation is None:
        story.append(
            p(
                _(
                    "The cluster has not been evaluated yet. An evaluation rates each of the programme's risks as "
                    "no risk, watch or serious."
                ),
                sheet.body,
            )
        )
        return story
    story.append(
        p(
            _("Evaluation of %(date)s by %(evaluator)s.")
            % {"date": long_date(evaluation.date), "evaluator": evaluation.evaluator},
            sheet.lead,
        )
    )
    if evaluation.summary:
        story.append(p(evaluation.summary, sheet.body))
    tally: dict[str, tuple[str, int]] = {}
    for line in evaluation.ratings:
        label, seen = tally.get(line.level, (line.level_label, 0))
        tally[line.level] = (label, seen + 1)
    summary = "; ".join(
        f"{label}: {number(count)}"
        for _level, (label, count) in sorted(
            tally.items(), key=lambda item: LEVEL_ORDER.index(item[0]) if item[0] in LEVEL_ORDER else 9
        )
    )
    if summary:
        story.append(p(summary, sheet.small))
    rows = [[_("Risk"), _("Rating"), _("Note")]]
    extra = []
    for row_index, line in enumerate(evaluation.ratings, start=1):
        rows.append(
            [
                line.risk,
                Paragraph(f"<b>{markup(line.level_label)}</b>", _level_style(line.level, sheet)),
                line.note,
            ]
        )
        if line.level in LEVEL_FILLS:
            extra.append(("BACKGROUND", (1, row_index), (1, row_index), LEVEL_FILLS[line.level]))
    if evaluation.ratings:
        story.append(table(rows, [TEXT_WIDTH * 0.36, TEXT_WIDTH * 0.16, TEXT_WIDTH * 0.48], sheet, extra=extra))
    return story


def _level_style(level: str, sheet) -> ParagraphStyle:
    return ParagraphStyle(f"Level-{level}", parent=sheet.cell, textColor=LEVEL_INKS.get(level, charts.INK))


# --- 9. Annexes ---


def _annexes(data: CaseStudyData, sheet, number_: int) -> list:
    story = chapter(_("Annexes"), sheet, number_)
    story += _members_annex(data, sheet)
    story += _sources_annex(data, sheet)
    story += _methodology_annex(data, sheet)
    return story


def _members_annex(data: CaseStudyData, sheet) -> list:
    heading = Heading(_("Members of the cluster"), sheet.h2, level=1)
    if not data.members:
        return [titled(heading, p(_("No actors have been registered as members of this cluster yet."), sheet.body))]
    rows = [[_("Actor"), _("Kind"), _("Firm size"), _("Role"), _("District")]]
    rows += [[member.name, member.kind, member.size, member.role, member.district or "—"] for member in data.members]
    widths = [TEXT_WIDTH * share for share in (0.3, 0.17, 0.19, 0.18, 0.16)]
    return [heading, table(rows, widths, sheet)]


def _sources_annex(data: CaseStudyData, sheet) -> list:
    sources = data.sources
    story = [Heading(_("Sources"), sheet.h2, level=1)]
    heading = p(_("Interviews counted in this report"), sheet.h3)
    if sources.interviews:
        rows = [[_("Date"), _("Actor interviewed"), _("Mode")]]
        rows += [[long_date(line.date), line.actor, line.mode] for line in sources.interviews]
        story += [heading, table(rows, [TEXT_WIDTH * share for share in (0.25, 0.55, 0.2)], sheet)]
    elif sources.by_month:
        rows = [[_("Month"), _("Interviews")], *[[count.label, number(count.count)] for count in sources.by_month]]
        story += [
            heading,
            p(
                _("%(count)s interviews, too many to list one by one: here by month.")
                % {"count": number(sources.interview_total)},
                sheet.small,
            ),
            table(rows, [TEXT_WIDTH * 0.4, TEXT_WIDTH * 0.2], sheet, numeric_columns=(1,)),
        ]
    else:
        story += [heading, p(_("No interview counts in this report."), sheet.small)]
    doc_heading = p(_("Documents and records cited"), sheet.h3)
    if sources.documents:
        listed = [Paragraph(markup(clip(doc, 400)), sheet.bullet, bulletText="•") for doc in sources.documents]
        story += [titled(doc_heading, listed[0]), *listed[1:]]
    return story


def _methodology_annex(data: CaseStudyData, sheet) -> list:
    method = data.methodology
    story = [Heading(_("Methodology"), sheet.h2, level=1)]
    if method.questionnaire:
        version = f", {_('version')} {method.version}" if method.version is not None else ""
        story.append(p(_("Questionnaire: %(name)s") % {"name": f"«{method.questionnaire}»{version}."}, sheet.body))
    story.append(
        p(_("Period covered: %(period)s.") % {"period": period(data.period_start, data.period_end)}, sheet.body)
    )
    story.append(p(_counted_rule(data), sheet.body))
    sampling = data.edition.sampling if data.edition is not None else ""
    story.append(
        rich(
            "<b>%(label)s:</b> %(text)s",
            sheet.body,
            label=_("How the interviewees were chosen"),
            text=clip(sampling, 3000)
            or _("the coordination has not described it for this edition; see its diagnosis on the site."),
        )
    )
    if method.members:
        story.append(
            rich(
                "<b>%(label)s:</b> %(text)s",
                sheet.body,
                label=_("Response rate"),
                text=_("%(interviewed)s of the %(members)s members were interviewed (%(share)s).")
                % {
                    "interviewed": number(method.interviewed_actors),
                    "members": number(method.members),
                    "share": _share(method.interviewed_actors, method.members),
                },
            )
        )
    counted = {"approved"} | ({"submitted"} if data.include_submitted else set())
    if method.interviews_by_status:
        rows = [[_("Interview status"), _("Interviews"), _("Counted in this report")]]
        for count in method.interviews_by_status:
            included = (_("Yes") if count.key in counted else _("No")) if count.key else "—"
            rows.append([count.label, number(count.count), included])
        story.append(
            titled(
                p(_("Interviews in the period"), sheet.h3),
                table(rows, [TEXT_WIDTH * 0.45, TEXT_WIDTH * 0.2, TEXT_WIDTH * 0.35], sheet, numeric_columns=(1,)),
            )
        )
    else:
        story.append(p(_("No interviews were recorded in the period."), sheet.body))
    if method.interviews_by_mode:
        total = sum(count.count for count in method.interviews_by_mode)
        rows = [[_("Interview mode"), _("Interviews"), _("Share")], *_count_rows(method.interviews_by_mode, total)]
        story += [
            Spacer(1, 8),
            table(rows, [TEXT_WIDTH * 0.45, TEXT_WIDTH * 0.2, TEXT_WIDTH * 0.35], sheet, numeric_columns=(1, 2)),
        ]
    limitations = _limitations(data)
    if limitations:
        story.append(Heading(_("Limitations"), sheet.h2, level=1))
        story += [Paragraph(markup(text), sheet.bullet, bulletText="•") for text in limitations]
        if data.edition is not None and data.edition.limitations.strip():
            story += bullets(data.edition.limitations, sheet.bullet)
    if method.notes:
        story.append(Heading(_("Notes"), sheet.h2, level=1))
        story += [Paragraph(markup(note), sheet.bullet, bulletText="•") for note in method.notes]
    story.append(Heading(_("Definitions"), sheet.h2, level=1))
    for term, meaning in (
        (
            _("Density"),
            _(
                "the ordered pairs of actors (A, B) with at least one tie from A to B, as a share of all the "
                "n × (n − 1) ordered pairs the actors could form."  # noqa: RUF001
            ),
        ),
        (
            _("Betweenness"),
            _("how often an actor lies on the shortest path between two others: the brokers of the cluster."),
        ),
        (
            _("Progress"),
            _("(latest value - baseline) ÷ (target - baseline); above 100% the target has been exceeded."),
        ),
        (
            _("Budget execution"),
            _("executed budget as a share of the planned budget, in soles (S/), cancelled interventions aside."),
        ),
    ):
        story.append(rich("<b>%(term)s</b>: %(meaning)s", sheet.body, term=term, meaning=meaning))
    return story


def _limitations(data: CaseStudyData) -> list[str]:
    """What the reader should keep in mind, from the data itself."""
    found = []
    sample = data.findings.sample_size if data.findings else 0
    if 0 < sample < 10:
        found.append(
            _("Few interviews count (%(count)s): shares are indicative, not representative.") % {"count": sample}
        )
    if data.include_submitted:
        found.append(_("Submitted interviews count although a coordinator has not reviewed them yet."))
    if data.methodology.members and data.methodology.interviewed_actors < data.methodology.members / 2:
        found.append(_("Fewer than half of the members were interviewed."))
    if data.edition is None or not data.edition.limitations.strip():
        found.append(_("The coordination has not recorded other limitations for this edition."))
    return found
