"""The programme report as a PDF: a pure function from ``ProgrammeData`` to bytes (see ``reports.pdf``).

Sections: a summary with the portfolio's figures, one row per cluster, the totals by goal and instrument
of the OECD catalogue, the gaps of the portfolio, and how the figures are counted. The map of clusters
drawn on the site's dashboard is not part of this document.
"""

import io
from collections.abc import Callable

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from reportlab.lib.units import cm
from reportlab.platypus import NextPageTemplate, PageBreak, Spacer

from reports.formatting import joined, long_date, money, number, percent, period
from reports.pdf import (
    CREATOR,
    TEXT_WIDTH,
    BuiltReport,
    Cover,
    Heading,
    Progress,
    ReportDocument,
    chapter,
    composing,
    contents,
    local,
    p,
    rich,
    spacer,
    styles,
    table,
    tiles,
    titled,
)
from reports.programme import ProgrammeData


def build_programme_report(data: ProgrammeData, on_progress: Callable[[int], None] | None = None) -> BuiltReport:
    """The programme report as PDF bytes, with its page count (``on_progress`` as for the case study)."""
    progress = Progress(on_progress)
    with translation.override(data.language):
        progress(2)
        sheet = styles()
        title = data.programme.name or _("Cluster programme")
        story = [*_cover(data, sheet, title), PageBreak(), *contents(sheet), PageBreak()]
        with composing():
            for number_, section in enumerate((_summary, _clusters, _goals, _gaps, _method), start=1):
                story += section(data, sheet, number_)
                progress(2 + 6 * number_)
        buffer = io.BytesIO()
        document = ReportDocument(
            buffer,
            cover=Cover(
                programme=data.programme.name,
                institution=data.programme.institution,
                logo=data.programme.logo,
                running_title=title,
                running_label=_("Programme report"),
                footer=data.programme.institution or data.programme.name or CREATOR,
            ),
            language=data.language,
            generated_at=data.generated_at,
            title=f"{title} — {_('Programme report')}",
            author=data.author,
            subject=_("Programme report: %(count)s clusters, %(period)s")
            % {"count": len(data.clusters), "period": period(data.period_start, data.period_end)},
            keywords=[title, data.programme.institution],
            progress=progress,
        )
        document.build_story(story)
        progress(100)
    return BuiltReport(pdf=buffer.getvalue(), page_count=document.page_total)


def _share(part, whole) -> str:
    return percent(float(part) / float(whole)) if whole else "—"


def _cover(data: ProgrammeData, sheet, title: str) -> list:
    lines = [
        (_("Clusters"), number(len(data.clusters))),
        (_("Period"), period(data.period_start, data.period_end)),
        (_("Date of this report"), long_date(local(data.generated_at))),
    ]
    if data.author:
        lines.append((_("Prepared by"), data.author))
    if data.programme.institution:
        lines.append((_("Institution"), data.programme.institution))
    story = [Spacer(1, 4.6 * cm), p(title, sheet.cover_title), p(_("Programme report"), sheet.cover_subtitle)]
    for label, value in lines:
        story.append(
            rich("<font color='#666666'>%(label)s:</font> %(value)s", sheet.cover_line, label=label, value=value)
        )
    return [*story, NextPageTemplate("body")]


def _summary(data: ProgrammeData, sheet, number_: int) -> list:
    rows = data.clusters
    planned = sum((row.budget_planned for row in rows), start=0)
    executed = sum((row.budget_executed for row in rows), start=0)
    on = sum(row.on_track for row in rows)
    off = sum(row.off_track for row in rows)
    none = sum(row.no_data for row in rows)
    serious = [row.name for row in rows if row.serious]
    story = chapter(_("Summary"), sheet, number_)
    story.append(
        p(
            ngettext(
                "This report covers %(count)s cluster of the programme, %(period)s.",
                "This report covers %(count)s clusters of the programme, %(period)s.",
                len(rows),
            )
            % {"count": number(len(rows)), "period": period(data.period_start, data.period_end)},
            sheet.lead,
        )
    )
    story += [
        tiles(
            [
                (number(sum(row.actors for row in rows)), _("Actors")),
                (number(sum(row.interviews for row in rows)), _("Interviews analysed")),
                (number(sum(row.interventions for row in rows)), _("Interventions")),
                (money(planned), _("Budget planned")),
                (money(executed), _("Budget executed") + f" ({_share(executed, planned)})"),
                (f"{number(on)} / {number(off)}", _("Indicators on track / off track")),
            ],
            sheet,
        ),
        spacer(10),
    ]
    if none:
        story.append(
            p(
                ngettext(
                    "%(count)s indicator has no approved measurement yet.",
                    "%(count)s indicators have no approved measurement yet.",
                    none,
                )
                % {"count": number(none)},
                sheet.body,
            )
        )
    if data.cancelled:
        story.append(
            p(
                ngettext(
                    "%(count)s cancelled intervention (%(planned)s planned) is left out of the budgets.",
                    "%(count)s cancelled interventions (%(planned)s planned) are left out of the budgets.",
                    data.cancelled,
                )
                % {"count": number(data.cancelled), "planned": money(data.cancelled_planned)},
                sheet.body,
            )
        )
    if serious:
        story.append(
            p(
                _("Clusters with a risk rated serious in their latest evaluation: %(clusters)s.")
                % {"clusters": joined(serious)},
                sheet.body,
            )
        )
    gaps = [goal for goal in data.goals if goal.without]
    if gaps and rows:
        story.append(
            p(
                ngettext(
                    "%(count)s goal of the catalogue has at least one cluster without an intervention (see the gaps).",
                    "%(count)s goals of the catalogue have at least one cluster without an intervention "
                    "(see the gaps).",
                    len(gaps),
                )
                % {"count": number(len(gaps))},
                sheet.body,
            )
        )
    return story


def _clusters(data: ProgrammeData, sheet, number_: int) -> list:
    story = chapter(_("The clusters"), sheet, number_)
    if not data.clusters:
        story.append(p(_("There is no cluster in this report."), sheet.body))
        return story
    header = [
        _("Cluster"),
        _("Actors"),
        _("Interviews"),
        _("Budget executed"),
        _("Indicators on / off track (no data)"),
        _("Latest evaluation: serious / watch"),
    ]
    rows = [header]
    for row in data.clusters:
        evaluation = (
            f"{number(row.serious)} / {number(row.watch)} ({long_date(row.evaluated)})"
            if row.evaluated
            else _("not evaluated")
        )
        rows.append(
            [
                f"{row.name}\n{row.regions} · {row.stage}",
                number(row.actors),
                number(row.interviews),
                _("%(executed)s\nof %(planned)s (%(share)s)")
                % {
                    "executed": money(row.budget_executed),
                    "planned": money(row.budget_planned),
                    "share": _share(row.budget_executed, row.budget_planned),
                },
                f"{number(row.on_track)} / {number(row.off_track)} ({number(row.no_data)})",
                evaluation,
            ]
        )
    widths = [TEXT_WIDTH * share for share in (0.24, 0.11, 0.14, 0.19, 0.15, 0.17)]
    story.append(table(rows, widths, sheet, numeric_columns=(1, 2, 3)))
    return story


def _goals(data: ProgrammeData, sheet, number_: int) -> list:
    story = chapter(_("Totals by goal and instrument"), sheet, number_)
    used = [goal for goal in data.goals if goal.interventions]
    if not used:
        story.append(p(_("No intervention has been registered in these clusters yet."), sheet.body))
        return story
    heading = None
    for goal in used:
        rows = [
            [
                _("Instrument"),
                _("Interventions"),
                _("Clusters"),
                pgettext("budget", "Planned"),
                pgettext("budget", "Executed"),
            ]
        ]
        rows += [
            [
                instrument.name,
                number(instrument.interventions),
                number(instrument.clusters),
                money(instrument.budget_planned),
                money(instrument.budget_executed),
            ]
            for instrument in goal.instruments
        ]
        rows.append(
            [
                _("Total of the goal"),
                number(goal.interventions),
                number(goal.clusters),
                money(goal.budget_planned),
                money(goal.budget_executed),
            ]
        )
        block = []
        if goal.heading != heading:
            heading = goal.heading
            block.append(p(goal.heading, sheet.kicker))
        block += [
            Heading(goal.goal, sheet.h2, level=1),
            table(
                rows,
                [TEXT_WIDTH * share for share in (0.34, 0.15, 0.11, 0.2, 0.2)],
                sheet,
                numeric_columns=(1, 2, 3, 4),
            ),
        ]
        story.append(titled(*block))
    return story


def _gaps(data: ProgrammeData, sheet, number_: int) -> list:
    story = chapter(_("Gaps of the portfolio"), sheet, number_)
    story.append(
        p(
            _(
                "For each goal of the OECD catalogue (Cuadro 1 of the programme's reference article), the clusters "
                "of this report that have no intervention for it."
            ),
            sheet.body,
        )
    )
    rows = [[_("Goal"), _("Clusters with interventions"), _("Clusters without")]]
    for goal in data.goals:
        without = "; ".join(goal.without) if goal.without else _("none: every cluster has one")
        rows.append([goal.goal, f"{number(goal.clusters)} / {number(len(data.clusters))}", without])
    story.append(table(rows, [TEXT_WIDTH * share for share in (0.34, 0.16, 0.5)], sheet, numeric_columns=(1,)))
    return story


def _method(data: ProgrammeData, sheet, number_: int) -> list:
    story = chapter(_("How the figures are counted"), sheet, number_)
    counted = (
        _("Interviews count when they have been approved by a coordinator or submitted for review.")
        if data.include_submitted
        else _("Only interviews approved by a coordinator count; submitted ones still under review do not.")
    )
    for term, meaning in (
        (_("Interviews"), counted),
        (
            _("Budgets"),
            _("planned and executed budgets of the interventions that overlap the period, cancelled ones aside."),
        ),
        (
            _("On track"),
            _(
                "an indicator whose progress towards its target is at least the share of the time from its "
                "baseline to its target date that has gone by; off track, one below it; no data, one without an "
                "approved measurement."
            ),
        ),
        (
            _("Latest evaluation"),
            _("the risks rated serious and to watch in the cluster's most recent evaluation."),
        ),
        (
            _("Gaps"),
            _("a goal of the catalogue for which a cluster has no intervention that is not cancelled."),
        ),
    ):
        story.append(rich("<b>%(term)s</b>: %(meaning)s", sheet.body, term=term, meaning=meaning))
    story.append(p(_("The map of the clusters is on the site's dashboard."), sheet.small))
    return story
