"""The cluster case study as a PDF: a pure function from ``CaseStudyData`` to bytes.

No database, no files: the gatherer fills ``reports.casestudy`` dataclasses, this module lays them out
with ReportLab platypus, and the task stores the bytes. Fixed text is English gettext, rendered inside
``translation.override(data.language)``; numbers and dates follow the language's formats.
"""

import datetime
import io
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from types import SimpleNamespace

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.lib.utils import TimeStamp
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.tableofcontents import TableOfContents

from reports import charts
from reports.casestudy import (
    CaseStudyData,
    Count,
    EvaluationSummary,
    Findings,
    IndicatorSummary,
    InterventionSummary,
    QuestionFinding,
)
from reports.formatting import long_date, markup, money, number, pdf_text, percent, period, quantity

CREATOR = "Cluster Casebook"
# The catalogue's /Lang: Peruvian Spanish, or plain English.
PDF_LANGUAGES = {"es": "es-PE", "en": "en"}
PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 2.2 * cm
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN
QUOTES_PER_QUESTION = 3

INK = charts.INK
MUTED = charts.MUTED
ACCENT = charts.ACCENT
RULE = colors.HexColor("#C8C8C8")
ZEBRA = colors.HexColor("#F4F6F8")
PLANNED = colors.HexColor("#BFC8D0")
# Risk levels: a pale fill with the level written in the cell, never colour alone.
LEVEL_FILLS = {
    "serious": colors.HexColor("#F6D5D5"),
    "watch": colors.HexColor("#FCEBC2"),
    "no_risk": colors.HexColor("#D6EDD8"),
}
LEVEL_INKS = {"serious": colors.HexColor("#8E1B1B"), "watch": colors.HexColor("#6B4A00"), "no_risk": charts.GOOD}


@dataclass(frozen=True)
class BuiltReport:
    pdf: bytes
    page_count: int


def build_case_study(data: CaseStudyData, on_progress: Callable[[int], None] | None = None) -> BuiltReport:
    """The case study of one cluster as PDF bytes, with its page count.

    ``on_progress`` receives increasing percentages (ending at 100), e.g. to update a ReportJob row.
    """
    progress = _Progress(on_progress)
    with translation.override(data.language):
        progress(2)
        styles = _styles()
        story = _cover(data, styles) + _contents(styles)
        sections = [
            _executive_summary,
            _cluster_profile,
            _actors,
            _network,
            _findings,
            _interventions,
            _evaluation,
            _methodology,
        ]
        for chapter, section in enumerate(sections, start=1):
            story += section(data, styles, chapter)
            progress(2 + 30 * chapter // len(sections))
        buffer = io.BytesIO()
        document = _CaseStudyDocument(buffer, data, progress)
        document.multiBuild(story, canvasmaker=document.canvas_class)
        progress(100)
    return BuiltReport(pdf=buffer.getvalue(), page_count=document.page_total)


class _Progress:
    """Forwards only rising percentages, so a caller can store each one."""

    def __init__(self, callback: Callable[[int], None] | None):
        self.callback = callback
        self.last = -1

    def __call__(self, percent_: float):
        value = max(0, min(100, int(percent_)))
        # Steps of 5 points at least: each call may be a database write in the task.
        if self.callback is not None and (value >= self.last + 5 or (value == 100 and self.last < 100)):
            self.last = value
            self.callback(value)


# --- Document, pages, headings ---


class _Heading(Paragraph):
    """A section title that goes into the table of contents and the PDF outline."""

    def __init__(self, text: str, style: ParagraphStyle, level: int):
        super().__init__(markup(text), style)
        self.toc_text = pdf_text(text)
        self.toc_level = level


class _CaseStudyDocument(BaseDocTemplate):
    def __init__(self, buffer: io.BytesIO, data: CaseStudyData, progress: _Progress):
        cluster = data.cluster.name
        super().__init__(
            buffer,
            pagesize=A4,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN + 0.4 * cm,
            bottomMargin=MARGIN,
            title=pdf_text(f"{cluster} — {_('Case study')}"),
            author=pdf_text(data.author),
            subject=pdf_text(
                _("Case study of the cluster %(cluster)s, %(period)s")
                % {"cluster": cluster, "period": period(data.period_start, data.period_end)}
            ),
            keywords=[pdf_text(word) for word in [cluster, *data.cluster.regions, data.cluster.main_sector]],
            creator=CREATOR,
            producer=CREATOR,
            lang=PDF_LANGUAGES.get(data.language, data.language),
            displayDocTitle=1,
            invariant=1,  # the same data always gives the same bytes
        )
        self.data = data
        self.progress = progress
        self.page_total = 0
        self.running_title = pdf_text(cluster)
        self.case_study = _("Case study")
        self.footer_left = pdf_text(f"{CREATOR} · {long_date(_local(data.generated_at))}")
        self.page_label = _("Page %(page)s of %(pages)s")
        self.heading_count = 0
        self._pass = 0
        self._flowables = 1
        body = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="body")
        cover = Frame(MARGIN, MARGIN, TEXT_WIDTH, PAGE_HEIGHT - 2 * MARGIN, id="cover")
        self.addPageTemplates(
            [
                PageTemplate("cover", [cover], onPage=self._draw_cover),
                PageTemplate("body", [body], onPage=self._draw_running_header_and_footer),
            ]
        )
        self.setProgressCallBack(self._on_build_progress)
        self.canvas_class = self._numbering_canvas()

    def beforeDocument(self):
        self.heading_count = 0

    def afterFlowable(self, flowable):
        level = getattr(flowable, "toc_level", None)
        if level is None:
            return
        self.heading_count += 1
        key = f"section-{self.heading_count}"
        self.canv.bookmarkPage(key)
        self.canv.addOutlineEntry(flowable.toc_text, key, level=level, closed=level > 0)
        self.notify("TOCEntry", (level, flowable.toc_text, self.page, key))

    def _on_build_progress(self, event: str, value: int):
        # Pass 1 lays out (35-70 %), pass 2 fixes the contents' page numbers (70-95 %), any further pass is short.
        if event == "PASS":
            self._pass = value
        elif event == "SIZE_EST":
            self._flowables = max(value, 1)
        elif event == "PROGRESS":
            low, high = {1: (35, 70), 2: (70, 95)}.get(self._pass, (95, 99))
            self.progress(low + (high - low) * value / self._flowables)

    def _draw_cover(self, canvas: Canvas, document):
        canvas.saveState()
        canvas.setFillColor(ACCENT)
        canvas.rect(0, PAGE_HEIGHT - 5.2 * cm, PAGE_WIDTH, 5.2 * cm, stroke=0, fill=1)
        canvas.rect(0, 0, PAGE_WIDTH, 0.9 * cm, stroke=0, fill=1)
        canvas.setFillColor(colors.white)
        canvas.setFont(charts.BOLD, 11)
        canvas.drawString(MARGIN, PAGE_HEIGHT - 1.8 * cm, CREATOR)
        canvas.restoreState()

    def _draw_running_header_and_footer(self, canvas: Canvas, document):
        canvas.saveState()
        top = PAGE_HEIGHT - MARGIN + 0.3 * cm
        canvas.setFont(charts.FONT, 8)
        canvas.setFillColor(MUTED)
        title = charts.wrap(self.running_title, TEXT_WIDTH * 0.7, 8, max_lines=1)[0]
        canvas.drawString(MARGIN, top, title)
        canvas.drawRightString(PAGE_WIDTH - MARGIN, top, self.case_study)
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN, top - 4, PAGE_WIDTH - MARGIN, top - 4)
        bottom = MARGIN - 0.9 * cm
        canvas.line(MARGIN, bottom + 10, PAGE_WIDTH - MARGIN, bottom + 10)
        canvas.drawString(MARGIN, bottom, self.footer_left)
        # "Page N of M": M is known only at the end, so each page shows a form filled in when the file is saved.
        canvas.doForm(f"page-number-{canvas.getPageNumber()}")
        canvas.restoreState()

    def _numbering_canvas(self):
        document = self

        class NumberingCanvas(Canvas):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                # Invariant mode keeps the bytes reproducible; the dates it would fix at 2000-01-01 are the
                # report's own instead (ReportLab has no public setter for them).
                self._doc._timeStamp = _timestamp(document.data.generated_at)
                self._doc.updateSignature(document.data.generated_at.isoformat())

            def save(self):
                total = self.getPageNumber() - 1
                for page in range(2, total + 1):
                    self.beginForm(f"page-number-{page}")
                    self.setFont(charts.FONT, 8)
                    self.setFillColor(MUTED)
                    label = document.page_label % {"page": page, "pages": total}
                    self.drawRightString(PAGE_WIDTH - MARGIN, MARGIN - 0.9 * cm, label)
                    self.endForm()
                document.page_total = total
                super().save()

        return NumberingCanvas


def _timestamp(moment: datetime.datetime) -> TimeStamp:
    moment = _local(moment if timezone.is_aware(moment) else timezone.make_aware(moment))
    stamp = TimeStamp(invariant=1)
    offset_minutes = int(moment.utcoffset().total_seconds() // 60)
    stamp.t = moment.timestamp()
    stamp.lt = moment.timetuple()
    stamp.YMDhms = tuple(stamp.lt)[:6]
    stamp.dhh, stamp.dmm = int(offset_minutes / 60), abs(offset_minutes) % 60
    stamp.tzname = moment.tzname() or "UTC"
    return stamp


def _local(moment):
    return timezone.localtime(moment) if timezone.is_aware(moment) else moment


# --- Styles and small building blocks ---


def _styles() -> SimpleNamespace:
    body = ParagraphStyle("Body", fontName=charts.FONT, fontSize=9.5, leading=13.5, textColor=INK, spaceAfter=6)

    def style(name, **overrides):
        return ParagraphStyle(name, parent=body, **overrides)

    heading = {"fontName": charts.BOLD, "keepWithNext": 1}
    cell = {"fontSize": 8.5, "leading": 11, "spaceAfter": 0}
    head = {**cell, "fontName": charts.BOLD, "textColor": colors.white}
    return SimpleNamespace(
        body=body,
        lead=style("Lead", fontSize=11, leading=15.5, spaceAfter=10),
        small=style("Small", fontSize=8, leading=10.5, textColor=MUTED, spaceAfter=4),
        h1=style("H1", **heading, fontSize=17, leading=21, textColor=ACCENT, spaceAfter=12),
        h2=style("H2", **heading, fontSize=12.5, leading=16, spaceBefore=10, spaceAfter=6),
        h3=style("H3", **heading, fontSize=10.5, leading=14, spaceBefore=8),
        kicker=style("Kicker", fontSize=8, leading=10, textColor=MUTED, spaceBefore=10, spaceAfter=0, keepWithNext=1),
        quote=style(
            "Quote",
            fontName="Helvetica-Oblique",
            leftIndent=14,
            rightIndent=14,
            textColor=colors.HexColor("#333333"),
        ),
        bullet=style("Bullet", leftIndent=12, bulletIndent=2),
        cell=style("Cell", **cell),
        cell_right=style("CellRight", **cell, alignment=TA_RIGHT),
        cell_head=style("CellHead", **head),
        cell_head_right=style("CellHeadRight", **head, alignment=TA_RIGHT),
        tile_number=style("TileNumber", fontName=charts.BOLD, fontSize=15, leading=19, textColor=ACCENT, spaceAfter=0),
        tile_label=style("TileLabel", fontSize=8, leading=10, textColor=MUTED, spaceAfter=0),
        cover_title=style("CoverTitle", fontName=charts.BOLD, fontSize=28, leading=34, spaceAfter=14),
        cover_subtitle=style("CoverSubtitle", fontSize=16, leading=20, textColor=ACCENT, spaceAfter=24),
        cover_line=style("CoverLine", fontSize=11, leading=16, spaceAfter=2),
        toc=[
            style("TOC1", fontName=charts.BOLD, fontSize=10.5, leading=16),
            style("TOC2", fontSize=9, leading=12.5, leftIndent=16, textColor=MUTED),
        ],
    )


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of data text (escaped)."""
    return Paragraph(markup(text), style)


def _section_start(title: str, styles, chapter: int) -> list:
    return [PageBreak(), _Heading(f"{chapter}. {title}", styles.h1, level=0)]


def _table(
    rows: list[list],
    widths: list[float],
    styles,
    *,
    numeric_columns: tuple[int, ...] = (),
    header: bool = True,
    extra: list | None = None,
) -> Table:
    """A table with a coloured header row, zebra rows, and text wrapped inside cells."""

    def cell(value, row_index, column):
        if not isinstance(value, str):
            return value
        if header and row_index == 0:
            return _p(value, styles.cell_head_right if column in numeric_columns else styles.cell_head)
        return _p(value, styles.cell_right if column in numeric_columns else styles.cell)

    body = [[cell(value, r, c) for c, value in enumerate(row)] for r, row in enumerate(rows)]
    commands = [
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE),
    ]
    if header:
        commands += [("BACKGROUND", (0, 0), (-1, 0), ACCENT)]
    first = 1 if header else 0
    for row_index in range(first, len(rows)):
        if (row_index - first) % 2 == 1:
            commands.append(("BACKGROUND", (0, row_index), (-1, row_index), ZEBRA))
    table = Table(body, colWidths=widths, repeatRows=1 if header else 0, hAlign="LEFT")
    table.setStyle(TableStyle(commands + (extra or [])))
    return table


def _facts(pairs: list[tuple[str, str]], styles) -> Table:
    """Label / value lines, for profiles and intervention sheets."""
    rows = [[_p(label, styles.cell_head), _p(value or "—", styles.cell)] for label, value in pairs]
    table = Table(rows, colWidths=[TEXT_WIDTH * 0.28, TEXT_WIDTH * 0.72], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#5B7F99")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


def _share(part, whole) -> str:
    """``part`` as a percentage of ``whole`` (counts or Decimal amounts); a dash when there is no whole."""
    return percent(float(part) / float(whole)) if whole else "—"


def _count_rows(counts: list[Count], total: int) -> list[list[str]]:
    return [[count.label, number(count.count), _share(count.count, total)] for count in counts]


# --- Cover and contents ---


def _cover(data: CaseStudyData, styles) -> list:
    cluster = data.cluster
    lines = [
        (_("Regions"), ", ".join(cluster.regions)),
        (_("Main sector"), cluster.main_sector),
        (_("Period"), period(data.period_start, data.period_end)),
        (_("Date of this report"), long_date(_local(data.generated_at))),
        (_("Prepared by"), data.author),
    ]
    story = [Spacer(1, 4.6 * cm), _p(cluster.name, styles.cover_title), _p(_("Case study"), styles.cover_subtitle)]
    for label, value in lines:
        story.append(Paragraph(f"<font color='#666666'>{markup(label)}:</font> {markup(value)}", styles.cover_line))
    story += [NextPageTemplate("body")]
    return story


def _contents(styles) -> list:
    toc = TableOfContents(levelStyles=styles.toc, dotsMinLevel=0)
    return [PageBreak(), Paragraph(markup(_("Contents")), styles.h1), toc]


# --- 1. Executive summary ---


def _executive_summary(data: CaseStudyData, styles, chapter: int) -> list:
    cluster = data.cluster
    interviews = data.findings.sample_size if data.findings else 0
    interventions = [item for group in data.interventions for item in group.interventions]
    planned = sum((item.budget_planned for item in interventions), start=0)
    executed = sum((item.budget_executed for item in interventions), start=0)
    story = _section_start(_("Executive summary"), styles, chapter)
    story.append(
        _p(
            _(
                "%(cluster)s brings together %(actors)s actors in %(regions)s around %(sector)s. "
                "Lifecycle stage: %(stage)s. Programme status: %(status)s. This report covers %(period)s."
            )
            % {
                "cluster": cluster.name,
                "actors": number(data.actors.total),
                "regions": ", ".join(cluster.regions) or "—",
                "sector": cluster.main_sector,
                "stage": cluster.stage,
                "status": cluster.status,
                "period": period(data.period_start, data.period_end),
            },
            styles.lead,
        )
    )
    executed_label = _("Budget executed")
    if planned:
        executed_label += " (" + _("%(share)s of planned") % {"share": _share(executed, planned)} + ")"
    tiles = [
        (number(data.actors.total), _("Actors in the cluster")),
        (number(len(data.network.edges)), _("Ties between actors")),
        (number(interviews), _("Interviews analysed")),
        (number(len(interventions)), _("Interventions")),
        (money(planned), _("Budget planned")),
        (money(executed), executed_label),
    ]
    story += [_tiles(tiles, styles), Spacer(1, 10)]
    story.append(_Heading(_("Serious risks"), styles.h2, level=1))
    story += _serious_risks(data.evaluation, styles)
    if data.findings and data.findings.sample_size:
        story.append(_Heading(_("Key findings"), styles.h2, level=1))
        story += _headline_findings(data.findings, styles)
    return story


def _tiles(tiles: list[tuple[str, str]], styles, columns: int = 3) -> Table:
    cells = [[_p(value, styles.tile_number), _p(label, styles.tile_label)] for value, label in tiles]
    rows = [cells[i : i + columns] for i in range(0, len(cells), columns)]
    rows[-1] += [""] * (columns - len(rows[-1]))
    table = Table(rows, colWidths=[TEXT_WIDTH / columns] * columns, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), ZEBRA),
                ("LINEAFTER", (0, 0), (-2, -1), 2, colors.white),
                ("LINEBELOW", (0, 0), (-1, -2), 2, colors.white),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 8),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
                ("LEFTPADDING", (0, 0), (-1, -1), 8),
            ]
        )
    )
    return table


def _serious_risks(evaluation: EvaluationSummary | None, styles) -> list:
    if evaluation is None:
        return [_p(_("The cluster has not been evaluated against the programme's risks yet."), styles.body)]
    serious = [line for line in evaluation.ratings if line.level == "serious"]
    intro = ngettext(
        "The evaluation of %(date)s rates %(count)s risk as serious:",
        "The evaluation of %(date)s rates %(count)s risks as serious:",
        len(serious),
    ) % {"date": long_date(evaluation.date), "count": number(len(serious))}
    if not serious:
        return [
            _p(
                _("The evaluation of %(date)s rates no risk as serious.") % {"date": long_date(evaluation.date)},
                styles.body,
            )
        ]
    story = [_p(intro, styles.body)]
    for line in serious:
        story.append(
            Paragraph(
                f"<b>{markup(line.risk)}</b>" + (f". {markup(line.note)}" if line.note else ""),
                styles.bullet,
                bulletText="•",
            )
        )
    return story


def _headline_findings(findings: Findings, styles) -> list:
    """The top answer of each choice question: the quickest way into the findings section."""
    story = []
    for question in findings.questions:
        if question.options and question.type in {"single_choice", "multiple_choice", "yes_no"}:
            top = max(question.options, key=lambda option: option.count)
            story.append(
                Paragraph(
                    f"{markup(question.label)} — <b>{markup(top.label)}</b> ({percent(top.share)}, n = "
                    f"{number(question.n)})",
                    styles.bullet,
                    bulletText="•",
                )
            )
    return story


# --- 2. Cluster profile ---


def _cluster_profile(data: CaseStudyData, styles, chapter: int) -> list:
    cluster = data.cluster
    story = _section_start(_("Cluster profile"), styles, chapter)
    if cluster.description:
        story.append(_p(cluster.description, styles.body))
    story.append(
        _facts(
            [
                (_("Regions"), ", ".join(cluster.regions)),
                (_("Main sector"), cluster.main_sector),
                (_("Related sectors"), "; ".join(cluster.related_sectors)),
                (_("Lifecycle stage"), cluster.stage),
                (_("Status"), cluster.status),
                (_("Coordinator"), cluster.coordinator),
                (_("Team"), ", ".join(cluster.team)),
            ],
            styles,
        )
    )
    story.append(_Heading(_("Headline figures"), styles.h2, level=1))
    if not cluster.figures:
        story.append(_p(_("No headline figures have been recorded for this cluster."), styles.body))
    else:
        rows = [[_("Figure"), _("Value"), _("Year"), _("Source")]]
        for figure in cluster.figures:
            value = quantity(figure.value)
            if figure.unit:
                value = f"{value} {figure.unit}" if figure.unit != "%" else f"{value}%"
            rows.append([figure.label, value, str(figure.year), figure.source])
        widths = [TEXT_WIDTH * share for share in (0.3, 0.22, 0.08, 0.4)]
        story.append(_table(rows, widths, styles, numeric_columns=(1, 2)))
    return story + _why_this_cluster(data, styles)


def _why_this_cluster(data: CaseStudyData, styles) -> list:
    """The cluster's place in the programme's prioritisation (mapping/), when there is economic data."""
    why = data.why
    if why is None:
        return []
    story = [_Heading(_("Why this cluster"), styles.h2, level=1)]
    if why.illustrative:
        story.append(_p(_("Illustrative data: generated for the demonstration, not official statistics."), styles.body))
    story.append(
        _p(
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
            styles.body,
        )
    )
    if why.location_quotient is not None:
        story.append(
            _p(
                _("Location quotient of its territories in its activity: %(lq)s; cluster stars: %(stars)s of 3.")
                % {"lq": number(why.location_quotient, 2), "stars": why.stars},
                styles.body,
            )
        )
    rows = [[_("Criterion"), _("Value"), _("Normalised"), _("Weight")]]
    for line in why.criteria:
        label = f"{line.label} ({_('less is better')})" if line.lower_is_better else line.label
        raw = _("no data") if line.raw is None else quantity(Decimal(repr(line.raw)))
        rows.append([label, raw, number(line.normalised, 2), quantity(Decimal(repr(line.weight)))])
    widths = [TEXT_WIDTH * share for share in (0.46, 0.22, 0.16, 0.16)]
    story.append(_table(rows, widths, styles, numeric_columns=(1, 2, 3)))
    return story


# --- 3. Actors ---


def _actors(data: CaseStudyData, styles, chapter: int) -> list:
    actors = data.actors
    story = _section_start(_("The actors"), styles, chapter)
    if not actors.total:
        story.append(_p(_("No actors have been registered as members of this cluster yet."), styles.body))
        return story
    story.append(
        _p(
            ngettext(
                "%(count)s organisation takes part in the cluster.",
                "%(count)s organisations take part in the cluster.",
                actors.total,
            )
            % {"count": number(actors.total)},
            styles.body,
        )
    )
    for title, counts, coloured in (
        (_("By kind of organisation"), actors.by_kind, True),
        (_("By firm size (Ley 30056)"), actors.by_size, False),
    ):
        if not counts:
            continue
        bars = [
            charts.Bar(
                count.label,
                count.count,
                f"{number(count.count)} ({_share(count.count, actors.total)})",
                charts.kind_colour(count.key) if coloured else ACCENT,
            )
            for count in counts
        ]
        story.append(KeepTogether([_Heading(title, styles.h2, level=1), charts.bar_chart(bars, TEXT_WIDTH)]))
    if actors.by_role:
        rows = [[_("Role in the cluster"), _("Actors"), _("Share")], *_count_rows(actors.by_role, actors.total)]
        story.append(_Heading(_("By role in the cluster"), styles.h2, level=1))
        story.append(
            _table(rows, [TEXT_WIDTH * 0.6, TEXT_WIDTH * 0.2, TEXT_WIDTH * 0.2], styles, numeric_columns=(1, 2))
        )
    return story


# --- 4. Network ---


def _network(data: CaseStudyData, styles, chapter: int) -> list:
    network = data.network
    story = _section_start(_("The network of relationships"), styles, chapter)
    if not network.nodes:
        story.append(_p(_("No relationships between actors have been recorded yet."), styles.body))
        return story
    story.append(
        _p(
            _(
                "%(actors)s actors are linked by %(ties)s directed ties reported in interviews or recorded by the "
                "coordination. Each circle is an actor, coloured by kind and larger the more ties it has; each "
                "arrow goes from the actor that supplies, trains, finances... to the one that receives."
            )
            % {"actors": number(len(network.nodes)), "ties": number(len(network.edges))},
            styles.body,
        )
    )
    drawn = network.nodes
    if len(drawn) > charts.MAX_DRAWN_NODES:
        drawn = sorted(drawn, key=lambda node: (-node.degree, node.name))[: charts.MAX_DRAWN_NODES]
        story.append(
            _p(
                _(
                    "The diagram shows the %(shown)s most connected of %(total)s actors and the ties among them; "
                    "the metrics below cover the whole network."
                )
                % {"shown": number(len(drawn)), "total": number(len(network.nodes))},
                styles.small,
            )
        )
    drawn_ids = {node.id for node in drawn}
    ties = [(edge.source_id, edge.target_id) for edge in network.edges if {edge.source_id, edge.target_id} <= drawn_ids]
    order = list(charts.KIND_COLOURS)
    kinds = sorted(
        dict.fromkeys((node.kind, node.kind_label) for node in drawn),
        key=lambda kind: order.index(kind[0]) if kind[0] in order else len(order),
    )
    diagram = charts.network_diagram(
        [charts.DiagramNode(node.id, node.name, node.kind, node.degree) for node in drawn],
        ties,
        kinds,
        TEXT_WIDTH,
        TEXT_WIDTH * 0.78,
        network.positions,
    )
    story += [diagram, Spacer(1, 8)]
    metrics = [
        [_("Measure"), _("Value")],
        [_("Actors"), number(len(network.nodes))],
        [_("Ties"), number(len(network.edges))],
        [_("Density (share of possible ties present)"), percent(network.density, 1)],
        [_("Connected groups"), number(network.components)],
        [_("Ties between actors of different kinds"), percent(network.cross_kind_share)],
    ]
    metrics += [[_("Ties: %(kind)s") % {"kind": count.label}, number(count.count)] for count in network.ties_by_kind]
    story.append(
        KeepTogether(
            [
                _Heading(_("Network measures"), styles.h2, level=1),
                _table(metrics, [TEXT_WIDTH * 0.7, TEXT_WIDTH * 0.3], styles, numeric_columns=(1,)),
            ]
        )
    )
    half = (TEXT_WIDTH - 12) / 2
    degree = [[_("Most connected actors"), _("Ties")]] + [
        [item.name, number(item.value)] for item in network.top_degree
    ]
    brokers = [[_("Actors that bridge others"), _("Betweenness")]] + [
        [item.name, number(item.value, 2)] for item in network.top_betweenness
    ]
    pair = Table(
        [
            [
                _table(degree, [half * 0.75, half * 0.25], styles, numeric_columns=(1,)),
                _table(brokers, [half * 0.7, half * 0.3], styles, numeric_columns=(1,)),
            ]
        ],
        colWidths=[half + 6, half + 6],
        hAlign="LEFT",
    )
    pair.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    story += [Spacer(1, 10), pair]
    return story


# --- 5. Findings ---


def _findings(data: CaseStudyData, styles, chapter: int) -> list:
    findings = data.findings
    story = _section_start(_("What the interviews say"), styles, chapter)
    if findings is None or findings.sample_size == 0:
        story.append(
            _p(_("No interview in the period meets the report's criteria, so there are no findings."), styles.body)
        )
        return story
    dates = (
        period(findings.first_date, findings.last_date)
        if findings.first_date and findings.last_date
        else period(data.period_start, data.period_end)
    )
    story.append(
        _p(
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
            styles.body,
        )
    )
    section = None
    for position, question in enumerate(findings.questions, start=1):
        if question.section and question.section != section:
            section = question.section
            story.append(CondPageBreak(6 * cm))
            story.append(_Heading(section, styles.h2, level=1))
        story.append(KeepTogether(_question(position, question, styles)))
    return story


def _question(position: int, question: QuestionFinding, styles) -> list:
    block = [
        Paragraph(f"{position}. {markup(question.label)}", styles.h3),
        _p(f"n = {number(question.n)}", styles.small),
    ]
    if question.n == 0:
        block.append(_p(_("Nobody answered this question in the period."), styles.body))
        return block
    if question.options:
        top = max(option.count for option in question.options)
        bars = [
            charts.Bar(option.label, option.count, f"{number(option.count)} ({percent(option.share)})")
            for option in question.options
        ]
        block.append(charts.bar_chart(bars, TEXT_WIDTH * 0.9, max_value=top))
        if question.type == "multiple_choice":
            block.append(_p(_("Several answers were allowed, so the shares add up to more than 100%."), styles.small))
    if question.stats is not None and question.options:
        block.append(_p(_average_line(question), styles.small))
    elif question.stats is not None:
        block += _number_summary(question, styles)
    if question.quotes:
        for quote in question.quotes[:QUOTES_PER_QUESTION]:
            block.append(_p(f"“{quote.strip()}”", styles.quote))
    if not (question.options or question.stats or question.quotes):
        block.append(_p(_("The answers to this question are not summarised in this report."), styles.small))
    block.append(Spacer(1, 6))
    return block


def _average_line(question: QuestionFinding) -> str:
    stats = question.stats
    parts = []
    if stats.mean is not None:
        parts.append(_("Mean: %(value)s") % {"value": quantity(stats.mean)})
    if stats.median is not None:
        parts.append(_("Median: %(value)s") % {"value": quantity(stats.median)})
    return " · ".join(parts)


def _number_summary(question: QuestionFinding, styles) -> list:
    stats = question.stats
    values = {"mean": stats.mean, "median": stats.median, "minimum": stats.minimum, "maximum": stats.maximum}
    names = {"mean": _("Mean"), "median": _("Median"), "minimum": _("Minimum"), "maximum": _("Maximum")}
    shown = {key: quantity(value) if value is not None else "—" for key, value in values.items()}
    rows = [[names[key] for key in values], [shown[key] for key in values]]
    story = [_table(rows, [TEXT_WIDTH * 0.9 / 4] * 4, styles, numeric_columns=(0, 1, 2, 3))]
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


# --- 6. Interventions ---


def _interventions(data: CaseStudyData, styles, chapter: int) -> list:
    story = _section_start(_("Interventions and their results"), styles, chapter)
    interventions = [item for group in data.interventions for item in group.interventions]
    if not interventions:
        story.append(_p(_("No intervention has been registered for this cluster yet."), styles.body))
        return story
    planned = sum((item.budget_planned for item in interventions), start=0)
    executed = sum((item.budget_executed for item in interventions), start=0)
    story.append(
        _p(
            ngettext(
                "%(count)s intervention with a planned budget of %(planned)s, of which %(executed)s (%(share)s) "
                "has been executed.",
                "%(count)s interventions with a planned budget of %(planned)s, of which %(executed)s (%(share)s) "
                "has been executed.",
                len(interventions),
            )
            % {
                "count": number(len(interventions)),
                "planned": money(planned),
                "executed": money(executed),
                "share": _share(executed, planned),
            },
            styles.body,
        )
    )
    planned_label, executed_label = _("Planned"), _("Executed")
    rows = [
        (
            item.title,
            [
                (float(item.budget_planned), money(item.budget_planned), PLANNED),
                (float(item.budget_executed), money(item.budget_executed), ACCENT),
            ],
        )
        for item in interventions
    ]
    legend = [(planned_label, PLANNED), (executed_label, ACCENT)]
    story.append(
        KeepTogether(
            [
                _Heading(_("Budget execution"), styles.h2, level=1),
                charts.grouped_bar_chart(rows, TEXT_WIDTH, legend=legend),
            ]
        )
    )
    for group in data.interventions:
        if not group.interventions:
            continue
        story += [CondPageBreak(8 * cm), _p(group.heading, styles.kicker), _Heading(group.goal, styles.h2, level=1)]
        for item in group.interventions:
            story += _intervention(item, styles)
    return story


def _intervention(item: InterventionSummary, styles) -> list:
    dates = period(item.start, item.end)
    execution = _share(item.budget_executed, item.budget_planned)
    story = [
        Paragraph(markup(item.title), styles.h3),
        Spacer(1, 3),
        _facts(
            [
                (_("Instrument"), item.instrument),
                (_("Government level"), item.level),
                (_("Status"), item.status),
                (_("Dates"), dates),
                (_("Budget planned"), money(item.budget_planned)),
                (_("Budget executed"), f"{money(item.budget_executed)} ({execution})"),
                (_("Beneficiary actors"), number(item.beneficiaries)),
            ],
            styles,
        ),
        Spacer(1, 4),
    ]
    if item.objective:
        story.append(Paragraph(f"<b>{markup(_('Objective'))}:</b> {markup(item.objective)}", styles.body))
    if not item.indicators:
        story.append(_p(_("This intervention has no indicators yet."), styles.small))
        return [KeepTogether(story)]
    rows = [[_("Indicator"), _("Baseline"), _("Latest"), _("Target"), _("Progress towards the target")]]
    progress_width = TEXT_WIDTH * 0.3 - 8
    for indicator in item.indicators:
        rows.append(
            [
                _indicator_name(indicator, styles),
                quantity(indicator.baseline),
                quantity(indicator.latest) if indicator.latest is not None else "—",
                quantity(indicator.target),
                _progress_cell(indicator, progress_width, styles),
            ]
        )
    widths = [TEXT_WIDTH * share for share in (0.37, 0.11, 0.11, 0.11, 0.3)]
    story += [_table(rows, widths, styles, numeric_columns=(1, 2, 3)), Spacer(1, 8)]
    return [KeepTogether(story)]


def _indicator_name(indicator: IndicatorSummary, styles) -> Paragraph:
    aim = _("to increase") if indicator.direction == "increase" else _("to decrease")
    detail = f"{indicator.unit} · {aim}"
    if indicator.target_date:
        detail += " · " + _("target by %(date)s") % {"date": long_date(indicator.target_date)}
    return Paragraph(
        f"{markup(indicator.name)}<br/><font size='7' color='#666666'>{markup(detail)}</font>", styles.cell
    )


def _progress_cell(indicator: IndicatorSummary, width: float, styles):
    if indicator.progress is None:
        return _p(_("No measurement yet"), styles.cell)
    bar = charts.progress_bar(indicator.progress, percent(indicator.progress), width)
    if indicator.progress > 1:
        return [bar, Spacer(1, 2), _p(_("Target exceeded"), styles.small)]
    if indicator.progress < 0:
        return [bar, Spacer(1, 2), _p(_("Moving away from the target"), styles.small)]
    return bar


# --- 7. Evaluation ---


def _evaluation(data: CaseStudyData, styles, chapter: int) -> list:
    evaluation = data.evaluation
    story = _section_start(_("Latest evaluation"), styles, chapter)
    if evaluation is None:
        story.append(
            _p(
                _(
                    "The cluster has not been evaluated yet. An evaluation rates each of the programme's risks as "
                    "no risk, watch or serious."
                ),
                styles.body,
            )
        )
        return story
    story.append(
        _p(
            _("Evaluation of %(date)s by %(evaluator)s.")
            % {"date": long_date(evaluation.date), "evaluator": evaluation.evaluator},
            styles.lead,
        )
    )
    if evaluation.summary:
        story.append(_p(evaluation.summary, styles.body))
    tally: dict[str, tuple[str, int]] = {}
    for line in evaluation.ratings:
        label, seen = tally.get(line.level, (line.level_label, 0))
        tally[line.level] = (label, seen + 1)
    order = ["serious", "watch", "no_risk"]
    summary = "; ".join(
        f"{label}: {number(count)}"
        for _level, (label, count) in sorted(
            tally.items(), key=lambda item: order.index(item[0]) if item[0] in order else 9
        )
    )
    if summary:
        story.append(_p(summary, styles.small))
    rows = [[_("Risk"), _("Rating"), _("Note")]]
    extra = []
    for row_index, line in enumerate(evaluation.ratings, start=1):
        rows.append(
            [line.risk, Paragraph(f"<b>{markup(line.level_label)}</b>", _level_style(line.level, styles)), line.note]
        )
        if line.level in LEVEL_FILLS:
            extra.append(("BACKGROUND", (1, row_index), (1, row_index), LEVEL_FILLS[line.level]))
    story.append(_table(rows, [TEXT_WIDTH * 0.36, TEXT_WIDTH * 0.14, TEXT_WIDTH * 0.5], styles, extra=extra))
    return story


def _level_style(level: str, styles) -> ParagraphStyle:
    return ParagraphStyle(f"Level-{level}", parent=styles.cell, textColor=LEVEL_INKS.get(level, INK))


# --- 8. Methodology ---


def _methodology(data: CaseStudyData, styles, chapter: int) -> list:
    method = data.methodology
    story = _section_start(_("Methodology annex"), styles, chapter)
    if method.questionnaire:
        version = f", {_('version')} {method.version}" if method.version is not None else ""
        story.append(_p(_("Questionnaire: %(name)s") % {"name": f"«{method.questionnaire}»{version}."}, styles.body))
    story.append(
        _p(_("Period covered: %(period)s.") % {"period": period(data.period_start, data.period_end)}, styles.body)
    )
    rule = (
        _("Interviews count when they have been approved by a coordinator or submitted for review.")
        if data.include_submitted
        else _("Only interviews approved by a coordinator count; submitted ones still under review do not.")
    )
    story.append(_p(rule, styles.body))
    counted = {"approved"} | ({"submitted"} if data.include_submitted else set())
    if method.interviews_by_status:
        rows = [[_("Interview status"), _("Interviews"), _("Counted in this report")]]
        for count in method.interviews_by_status:
            included = (_("Yes") if count.key in counted else _("No")) if count.key else "—"
            rows.append([count.label, number(count.count), included])
        story += [
            _Heading(_("Interviews in the period"), styles.h2, level=1),
            _table(rows, [TEXT_WIDTH * 0.45, TEXT_WIDTH * 0.2, TEXT_WIDTH * 0.35], styles, numeric_columns=(1,)),
        ]
    else:
        story.append(_p(_("No interviews were recorded in the period."), styles.body))
    if method.interviews_by_mode:
        total = sum(count.count for count in method.interviews_by_mode)
        rows = [[_("Interview mode"), _("Interviews"), _("Share")], *_count_rows(method.interviews_by_mode, total)]
        story += [
            Spacer(1, 8),
            _table(rows, [TEXT_WIDTH * 0.45, TEXT_WIDTH * 0.2, TEXT_WIDTH * 0.35], styles, numeric_columns=(1, 2)),
        ]
    if method.notes:
        story.append(_Heading(_("Notes"), styles.h2, level=1))
        for note in method.notes:
            story.append(
                Paragraph(
                    markup(note),
                    styles.bullet,
                    bulletText="•",
                )
            )
    story.append(_Heading(_("Definitions"), styles.h2, level=1))
    for term, meaning in (
        (_("Density"), _("the ties present as a share of all the directed ties that the actors could have.")),
        (
            _("Betweenness"),
            _("how often an actor lies on the shortest path between two others: the brokers of the cluster."),
        ),
        (
            _("Progress"),
            _("(latest value - baseline) ÷ (target - baseline); above 100% the target has been exceeded."),
        ),
        (_("Budget execution"), _("executed budget as a share of the planned budget, in soles (S/).")),
    ):
        story.append(Paragraph(f"<b>{markup(term)}</b>: {markup(meaning)}", styles.body))
    return story
