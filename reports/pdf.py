"""What every report PDF shares: the fonts, styles, the document with its cover and running header, the
headings that feed the contents and the outline, tables, and the build itself.

Pure: no database, no files. The case study (``reports.builder``) and the programme report
(``reports.programme_builder``) lay out their sections with these pieces.
"""

import datetime
import io
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from types import SimpleNamespace
from xml.parsers.expat import ExpatError

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.lib.utils import ImageReader, TimeStamp
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.doctemplate import LayoutError
from reportlab.platypus.tableofcontents import TableOfContents

from reports import charts, fonts
from reports.formatting import clip, long_date, markup, pdf_text

CREATOR = "Cluster Casebook"
# The catalogue's /Lang: Peruvian Spanish, or plain English.
PDF_LANGUAGES = {"es": "es-PE", "en": "en"}
PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 2.2 * cm
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN
# A chapter starts on the current page when at least this much of it is left (no near-empty pages).
CHAPTER_ROOM = 9 * cm
# User text longer than this is cut (with "…") in a table cell, and in a paragraph of its own.
CELL_LIMIT = 1_500
TEXT_LIMIT = 12_000

INK = charts.INK
MUTED = charts.MUTED
ACCENT = charts.ACCENT
RULE = colors.HexColor("#C8C8C8")
ZEBRA = colors.HexColor("#F4F6F8")


class BuildError(Exception):
    """The document could not be laid out from its data (not a passing problem: trying again will not help)."""


@contextmanager
def composing():
    """Turns a markup error while the story is put together into a BuildError (ReportLab parses a
    paragraph's markup when it is made, long before the document is laid out)."""
    try:
        yield
    except (ValueError, ExpatError) as error:
        raise BuildError(f"{type(error).__name__}: {error}") from error


@dataclass(frozen=True)
class BuiltReport:
    pdf: bytes
    page_count: int


class Progress:
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


def styles() -> SimpleNamespace:
    fonts.register()
    body = ParagraphStyle(
        "Body",
        fontName=fonts.REGULAR,
        bulletFontName=fonts.REGULAR,
        fontSize=9.5,
        leading=13.5,
        textColor=INK,
        spaceAfter=6,
    )

    def style(name, **overrides):
        return ParagraphStyle(name, parent=body, **overrides)

    heading = {"fontName": fonts.BOLD, "keepWithNext": 1}
    cell = {"fontSize": 8.5, "leading": 11, "spaceAfter": 0}
    # Header words are never cut in two ("Entrevi-stas"): a column is made wide enough for its longest word.
    head = {**cell, "fontSize": 8, "fontName": fonts.BOLD, "textColor": colors.white, "splitLongWords": 0}
    return SimpleNamespace(
        body=body,
        lead=style("Lead", fontSize=11, leading=15.5, spaceAfter=10),
        small=style("Small", fontSize=8, leading=10.5, textColor=MUTED, spaceAfter=4),
        caption=style("Caption", fontSize=8, leading=10.5, textColor=MUTED, spaceBefore=2, spaceAfter=8),
        h1=style("H1", **heading, fontSize=17, leading=21, textColor=ACCENT, spaceBefore=6, spaceAfter=12),
        h2=style("H2", **heading, fontSize=12.5, leading=16, spaceBefore=10, spaceAfter=6),
        h3=style("H3", **heading, fontSize=10.5, leading=14, spaceBefore=8),
        kicker=style("Kicker", fontSize=8, leading=10, textColor=MUTED, spaceBefore=10, spaceAfter=0, keepWithNext=1),
        quote=style(
            "Quote", fontName=fonts.OBLIQUE, leftIndent=14, rightIndent=14, textColor=colors.HexColor("#333333")
        ),
        bullet=style("Bullet", leftIndent=12, bulletIndent=2),
        cell=style("Cell", **cell),
        cell_right=style("CellRight", **cell, alignment=TA_RIGHT),
        cell_head=style("CellHead", **head),
        cell_head_right=style("CellHeadRight", **head, alignment=TA_RIGHT),
        tile_number=style("TileNumber", fontName=fonts.BOLD, fontSize=15, leading=19, textColor=ACCENT, spaceAfter=0),
        tile_label=style("TileLabel", fontSize=8, leading=10, textColor=MUTED, spaceAfter=0),
        cover_programme=style("CoverProgramme", fontSize=10, leading=13, textColor=MUTED, spaceAfter=2),
        cover_title=style("CoverTitle", fontName=fonts.BOLD, fontSize=28, leading=34, spaceAfter=14),
        cover_subtitle=style("CoverSubtitle", fontSize=16, leading=20, textColor=ACCENT, spaceAfter=24),
        cover_line=style("CoverLine", fontSize=11, leading=16, spaceAfter=2),
        cover_draft=style("CoverDraft", fontName=fonts.BOLD, fontSize=12, leading=16, textColor=charts.BAD),
        toc=[
            style("TOC1", fontName=fonts.BOLD, fontSize=10.5, leading=14.5),
            style("TOC2", fontSize=9, leading=11.5, leftIndent=16, textColor=MUTED),
        ],
    )


def p(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of text that is not markup: fixed sentences with data in them, or user text (escaped)."""
    return Paragraph(markup(clip(text, TEXT_LIMIT), font=style.fontName), style)


def rich(template: str, style: ParagraphStyle, **values) -> Paragraph:
    """A paragraph whose ``template`` is our own markup (e.g. "<b>%(term)s</b>: %(text)s") and whose values
    are text, each escaped with ``markup``."""
    return Paragraph(template % {key: markup(value, font=style.fontName) for key, value in values.items()}, style)


def bullets(text: str, style: ParagraphStyle) -> list[Paragraph]:
    """Free text as paragraphs; lines that start with "-", "*" or "•" become bullets."""
    story = []
    for line in pdf_text(clip(text, TEXT_LIMIT)).split("\n"):
        stripped = line.strip()
        if not stripped:
            continue
        if stripped[0] in "-*•" and stripped[1:].strip():
            story.append(Paragraph(markup(stripped[1:].strip()), style, bulletText="•"))
        else:
            story.append(Paragraph(markup(stripped), style))
    return story


class Heading(Paragraph):
    """A section title that goes into the table of contents and the PDF outline.

    The contents set each entry as a paragraph again, so ``toc_text`` is escaped markup; the outline is
    plain text, so ``outline_text`` is not escaped (ReportLab writes it as a PDF string)."""

    def __init__(self, text: str, style: ParagraphStyle, level: int):
        super().__init__(markup(clip(text, 300), font=style.fontName), style)
        self.toc_text = markup(clip(text, 300))
        self.outline_text = pdf_text(clip(text, 300)).replace("\n", " ")
        self.toc_level = level


def chapter(title: str, styles_, number: int) -> list:
    """A chapter's start: on this page when there is room, else on the next (never a near-empty page)."""
    return [CondPageBreak(CHAPTER_ROOM), Heading(f"{number}. {title}", styles_.h1, level=0)]


def table(
    rows: list[list],
    widths: list[float],
    styles_,
    *,
    numeric_columns: tuple[int, ...] = (),
    header: bool = True,
    extra: list | None = None,
) -> Table:
    """A table with a coloured header row repeated on every page, zebra rows, and text wrapped inside cells.
    A table never leaves its header alone at the foot of a page (ReportLab splits after a body row only)."""

    def cell(value, row_index, column):
        if not isinstance(value, str):
            return value
        if header and row_index == 0:
            return p(value, styles_.cell_head_right if column in numeric_columns else styles_.cell_head)
        return p(clip(value, CELL_LIMIT), styles_.cell_right if column in numeric_columns else styles_.cell)

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
    # A row taller than a page (a long unbroken word in a narrow column) is split across pages, not refused.
    return grid(body, widths, commands + (extra or []), repeat_rows=1 if header else 0, split_rows=True)


def grid(rows: list[list], widths: list[float], commands: list, *, repeat_rows: int = 0, split_rows=False) -> Table:
    """A platypus Table whose cells' own font is the embedded one (ReportLab's default names Helvetica)."""
    result = Table(rows, colWidths=widths, repeatRows=repeat_rows, hAlign="LEFT", splitInRow=1 if split_rows else 0)
    result.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), fonts.REGULAR, 9), *commands]))
    return result


def side_by_side(left, right, column_width: float) -> Table:
    """Two flowables (tables) next to each other, tops aligned."""
    return grid(
        [[left, right]],
        [column_width, column_width],
        [("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)],
    )


def titled(heading: Heading | Paragraph, *flowables) -> KeepTogether:
    """A heading kept on the page of what it introduces (a table, a chart): never an orphan heading."""
    return KeepTogether([heading, *flowables])


def facts(pairs: list[tuple[str, str]], styles_) -> Table:
    """Label / value lines, for profiles and intervention sheets."""
    rows = [[p(label, styles_.cell_head), p(clip(value or "—", CELL_LIMIT), styles_.cell)] for label, value in pairs]
    return grid(
        rows,
        [TEXT_WIDTH * 0.28, TEXT_WIDTH * 0.72],
        [
            ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#5B7F99")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ],
    )


def tiles(items: list[tuple[str, str]], styles_, columns: int = 3) -> Table:
    cells = [[p(value, styles_.tile_number), p(label, styles_.tile_label)] for value, label in items]
    rows = [cells[i : i + columns] for i in range(0, len(cells), columns)]
    rows[-1] += [""] * (columns - len(rows[-1]))
    return grid(
        rows,
        [TEXT_WIDTH / columns] * columns,
        [
            ("BACKGROUND", (0, 0), (-1, -1), ZEBRA),
            ("LINEAFTER", (0, 0), (-2, -1), 2, colors.white),
            ("LINEBELOW", (0, 0), (-1, -2), 2, colors.white),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), 8),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
            ("LEFTPADDING", (0, 0), (-1, -1), 8),
        ],
    )


def contents(styles_) -> list:
    toc = TableOfContents(
        levelStyles=styles_.toc,
        dotsMinLevel=0,
        tableStyle=TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), fonts.REGULAR, 9),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ]
        ),
    )
    return [Paragraph(markup(_("Contents")), styles_.h1), toc]


@dataclass(frozen=True)
class Cover:
    """What the cover page's band and the running header and footer say."""

    programme: str  # the programme's name, in the top band
    institution: str
    logo: bytes | None
    running_title: str  # the header's left side: the cluster, or the programme
    running_label: str  # the header's right side: "Case study", "Draft", ...
    footer: str  # the footer's left side, before the date


class ReportDocument(BaseDocTemplate):
    """An A4 report: a cover page (a band with the programme, its institution and logo), then body pages
    with a running header, a footer and "Page N of M"; headings feed the contents and the outline."""

    def __init__(
        self,
        buffer: io.BytesIO,
        *,
        cover: Cover,
        language: str,
        generated_at: datetime.datetime,
        title: str,
        author: str,
        subject: str,
        keywords: list[str],
        progress: Progress,
    ):
        fonts.register()
        super().__init__(
            buffer,
            pagesize=A4,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN + 0.4 * cm,
            bottomMargin=MARGIN,
            title=pdf_text(title),
            author=pdf_text(author),
            subject=pdf_text(subject),
            keywords=[pdf_text(word) for word in keywords if word],
            creator=CREATOR,
            producer=CREATOR,
            lang=PDF_LANGUAGES.get(language, language),
            displayDocTitle=1,
            invariant=1,  # the same data always gives the same bytes
            initialFontName=fonts.REGULAR,  # no standard (base-14) font anywhere, not even the canvas's first
        )
        self.cover = cover
        self.generated_at = generated_at
        self.progress = progress
        self.page_total = 0
        self.running_title = pdf_text(cover.running_title)
        self.running_label = pdf_text(cover.running_label)
        self.footer_left = pdf_text(" · ".join(part for part in (cover.footer, long_date(local(generated_at))) if part))
        self.page_label = _("Page %(page)s of %(pages)s")
        self.heading_count = 0
        self._pass = 0
        self._flowables = 1
        self.logo = _logo(cover.logo)
        body = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="body")
        front = Frame(MARGIN, MARGIN, TEXT_WIDTH, PAGE_HEIGHT - 2 * MARGIN, id="cover")
        self.addPageTemplates(
            [
                PageTemplate("cover", [front], onPage=self._draw_cover),
                PageTemplate("body", [body], onPage=self._draw_running_header_and_footer),
            ]
        )
        self.setProgressCallBack(self._on_build_progress)
        self.canvas_class = self._numbering_canvas()

    def build_story(self, story: list) -> None:
        try:
            self.multiBuild(story, canvasmaker=self.canvas_class)
        except (ValueError, ExpatError, OSError, LayoutError) as error:
            # Every piece of user text is escaped and no file is read, so an error here comes from the data's
            # shape (or a bug): it would fail the same way again, unlike a database or storage outage.
            raise BuildError(f"{type(error).__name__}: {error}") from error

    def beforeDocument(self):
        self.heading_count = 0

    def afterFlowable(self, flowable):
        level = getattr(flowable, "toc_level", None)
        if level is None:
            return
        self.heading_count += 1
        key = f"section-{self.heading_count}"
        self.canv.bookmarkPage(key)
        self.canv.addOutlineEntry(flowable.outline_text, key, level=level, closed=level > 0)
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
        text_right = PAGE_WIDTH - MARGIN
        if self.logo is not None:
            # The logo on a white tile at the band's right, at most 3.4 x 2.6 cm, proportions kept.
            width, height = self.logo.getSize()
            scale = min(3.4 * cm / width, 2.6 * cm / height)
            drawn_width, drawn_height = width * scale, height * scale
            tile_x = PAGE_WIDTH - MARGIN - drawn_width - 0.3 * cm
            tile_y = PAGE_HEIGHT - 1.0 * cm - drawn_height - 0.3 * cm
            canvas.setFillColor(colors.white)
            canvas.rect(tile_x, tile_y, drawn_width + 0.6 * cm, drawn_height + 0.6 * cm, stroke=0, fill=1)
            canvas.drawImage(self.logo, tile_x + 0.3 * cm, tile_y + 0.3 * cm, drawn_width, drawn_height, mask="auto")
            text_right = tile_x - 0.5 * cm
        lines = [(fonts.BOLD, 12, self.cover.programme), (fonts.REGULAR, 10, self.cover.institution)]
        y = PAGE_HEIGHT - 1.8 * cm
        for font, size, text in lines:
            for line in charts.wrap(text or "", text_right - MARGIN, size, font, max_lines=2):
                if not line:
                    continue
                self._draw_line(canvas, MARGIN, y, line, font, size, colors.white)
                y -= size + 4
        canvas.restoreState()

    @staticmethod
    def _draw_line(canvas: Canvas, x, y, text, font, size, colour, anchor="start"):
        pieces = fonts.runs(pdf_text(text), font)
        width = sum(canvas.stringWidth(piece, run_font, size) for run_font, piece in pieces)
        x = x - width if anchor == "end" else x
        canvas.setFillColor(colour)
        for run_font, piece in pieces:
            canvas.setFont(run_font, size)
            canvas.drawString(x, y, piece)
            x += canvas.stringWidth(piece, run_font, size)

    def _draw_running_header_and_footer(self, canvas: Canvas, document):
        canvas.saveState()
        top = PAGE_HEIGHT - MARGIN + 0.3 * cm
        label_width = charts.text_width(self.running_label, 8)
        title = charts.wrap(self.running_title, TEXT_WIDTH - label_width - 20, 8, max_lines=1)[0]
        self._draw_line(canvas, MARGIN, top, title, fonts.REGULAR, 8, MUTED)
        self._draw_line(canvas, PAGE_WIDTH - MARGIN, top, self.running_label, fonts.REGULAR, 8, MUTED, "end")
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN, top - 4, PAGE_WIDTH - MARGIN, top - 4)
        bottom = MARGIN - 0.9 * cm
        canvas.line(MARGIN, bottom + 10, PAGE_WIDTH - MARGIN, bottom + 10)
        footer = charts.wrap(self.footer_left, TEXT_WIDTH * 0.7, 8, max_lines=1)[0]
        self._draw_line(canvas, MARGIN, bottom, footer, fonts.REGULAR, 8, MUTED)
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
                self._doc._timeStamp = timestamp(document.generated_at)
                self._doc.updateSignature(document.generated_at.isoformat())

            def save(self):
                total = self.getPageNumber() - 1
                for page in range(2, total + 1):
                    self.beginForm(f"page-number-{page}")
                    self.setFont(fonts.REGULAR, 8)
                    self.setFillColor(MUTED)
                    label = document.page_label % {"page": page, "pages": total}
                    self.drawRightString(PAGE_WIDTH - MARGIN, MARGIN - 0.9 * cm, label)
                    self.endForm()
                document.page_total = total
                super().save()

        return NumberingCanvas


def _logo(data: bytes | None):
    """The logo as ReportLab reads it from bytes held in memory (never from a path or an address)."""
    if not data:
        return None
    try:
        return ImageReader(io.BytesIO(data))
    except Exception:  # a logo that cannot be read is left out, not the report
        return None


def timestamp(moment: datetime.datetime) -> TimeStamp:
    moment = local(moment if timezone.is_aware(moment) else timezone.make_aware(moment))
    stamp = TimeStamp(invariant=1)
    offset_minutes = int(moment.utcoffset().total_seconds() // 60)
    stamp.t = moment.timestamp()
    stamp.lt = moment.timetuple()
    stamp.YMDhms = tuple(stamp.lt)[:6]
    stamp.dhh, stamp.dmm = int(offset_minutes / 60), abs(offset_minutes) % 60
    stamp.tzname = moment.tzname() or "UTC"
    return stamp


def local(moment):
    return timezone.localtime(moment) if timezone.is_aware(moment) else moment


def spacer(height: float = 6) -> Spacer:
    return Spacer(1, height)
