"""XLSForm (ODK / KoBoToolbox / SurveyCTO spreadsheets) in and out, over plain dataclasses.

Reading (``reading.py``, with ``opening.py`` and ``mapping.py``): pyxform, ODK's reference converter, is
the one reader of the workbook (``.xlsx`` and ``.xls``, every header spelling and alias it knows). We
guard the file first (size, zip bombs, row counts, formula cells without a value: ``opening.py``), let
pyxform turn it into its survey structure, and map that structure onto a ``FormSpec`` (``mapping.py``):
groups and repeats at any depth, every question type of XLSForm's core, texts in every language, every
bind. What the site does not interpret but ODK may use (``body::…``, ``bind::…``, ``media::…``, a
column of the team's own) is kept in ``extra`` and written back on export, so an import never drops
anything silently; what cannot be kept is refused with the sheet, the row and the reason, in the user's
language. ``read_xlsform`` is all-or-nothing: a ``FormSpec`` or an ``XLSFormError`` listing every problem.

Writing (``writing.py``): ``write_xlsform`` writes the spec as an .xlsx that pyxform converts and that
``read_xlsform`` reads back equal (the round trip is tested on every form of the test corpus and on the
demo).

The spec both share, the limits and the errors are in ``spec.py``. Callers use ``surveys.xlsform.<name>``.

Site-specific types travel in the XForm instance's ``casebook`` namespace, which pyxform passes on::

    integer + instance::casebook:type=scale                     scale 1 to 5
    select_one L + instance::casebook:type=yes_no               yes/no (L holds exactly yes and no)
    select_multiple_from_file actors.csv + casebook:type=actor_relationship, casebook:relationship=KIND
                                                                the actors the respondent is tied to
    text + appearance multiline                                 long text
"""

from surveys.xlsform.reading import read_xlsform
from surveys.xlsform.spec import (
    ACTORS_FILE,
    MAX_FILE_BYTES,
    MAX_NESTING,
    MAX_SURVEY_ROWS,
    MAX_UNCOMPRESSED_BYTES,
    MEDIA_COLUMN,
    TICK_LABELS,
    XLS_MAGIC,
    ChoiceSpec,
    FormSpec,
    Problem,
    QuestionSpec,
    SectionSpec,
    XLSFormError,
    is_file_list,
)
from surveys.xlsform.writing import write_xlsform

__all__ = [
    "ACTORS_FILE",
    "MAX_FILE_BYTES",
    "MAX_NESTING",
    "MAX_SURVEY_ROWS",
    "MAX_UNCOMPRESSED_BYTES",
    "MEDIA_COLUMN",
    "TICK_LABELS",
    "XLS_MAGIC",
    "ChoiceSpec",
    "FormSpec",
    "Problem",
    "QuestionSpec",
    "SectionSpec",
    "XLSFormError",
    "is_file_list",
    "read_xlsform",
    "write_xlsform",
]
