"""Writes of questionnaires and their versions: creating, copying into a new draft, publishing, deleting,
building from an XLSForm, and the version's files (media and choice lists).

Only a draft version may change; publishing freezes it, and editing a published questionnaire copies
it into a new draft. A version is built in the browser (the builder, ``surveys.services.content``) or
from an XLSForm (here); both go through the same content functions.
"""

import codecs
import csv
import hashlib
import os

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from surveys import formcheck
from surveys.engine import form_csv_reader
from surveys.languages import ENGLISH, SPANISH
from surveys.models import Choice, Question, Questionnaire, QuestionnaireVersion, Section, VersionFile
from surveys.selectors import ordered_questions, version_form_spec
from surveys.services.content import (
    QUESTION_FIELDS,
    SECTION_FIELDS,
    _clean_choices,
    _require_draft,
    _set_fields,
)
from surveys.uploads import megabytes

T = Question.Type
BUILDER_LANGUAGES = [SPANISH, ENGLISH]
# What the builder and the XLSForm import may set on a question (besides its version, code and type).
CHOICE_FILE_TYPES = (".csv",)
MEDIA_FILE_TYPES = (".jpg", ".jpeg", ".png", ".webp", ".mp3", ".ogg", ".m4a", ".wav", ".mp4", ".webm", ".csv")


# --- Versions ---------------------------------------------------------------------------------------


@transaction.atomic
def questionnaire_create(*, name, created_by, description="", languages=None):
    """A new questionnaire with an empty draft version 1 (in Spanish and English unless told), returned."""
    languages = list(languages or BUILDER_LANGUAGES)
    questionnaire = Questionnaire(name=name.strip(), description=description, created_by=created_by)
    questionnaire.full_clean()
    questionnaire.save()
    version = QuestionnaireVersion(
        questionnaire=questionnaire,
        number=1,
        created_by=created_by,
        languages=languages,
        default_language=languages[0],
    )
    version.full_clean()
    version.save()
    return version


@transaction.atomic
def version_create_draft(*, questionnaire, created_by):
    """The questionnaire's draft: the existing one, or a copy of its latest version with the next number."""
    versions = QuestionnaireVersion.objects.select_for_update().filter(questionnaire=questionnaire)
    draft = versions.filter(status=QuestionnaireVersion.Status.DRAFT).first()
    if draft is not None:
        return draft
    source = versions.order_by("-number").first()
    draft = QuestionnaireVersion(
        questionnaire=questionnaire,
        number=(source.number + 1) if source else 1,
        form_id=source.form_id if source else "",
        languages=source.languages if source else BUILDER_LANGUAGES,
        default_language=source.default_language if source else SPANISH,
        form_settings=source.form_settings if source else {},
        created_by=created_by,
    )
    draft.full_clean()
    draft.save()
    if source is not None:
        _copy_content(source, draft)
    return draft


def _copy_content(source, target):
    sections = list(source.sections.order_by("order", "pk"))
    copies = {}
    for section in sections:  # parents come before their children in the form's order
        copy = Section(version=target, order=section.order)
        for name in SECTION_FIELDS:
            if name != "parent":
                setattr(copy, name, getattr(section, name))
        copy.parent = copies.get(section.parent_id)
        copy.save()
        copies[section.pk] = copy
    questions = list(source.questions.all())
    new_questions = Question.objects.bulk_create(
        [
            Question(
                version=target,
                section=copies.get(q.section_id),
                order=q.order,
                **{name: getattr(q, name) for name in QUESTION_FIELDS if name != "section"},
            )
            for q in questions
        ]
    )
    question_map = {old.pk: new for old, new in zip(questions, new_questions, strict=True)}
    Choice.objects.bulk_create(
        [
            Choice(question=question_map[c.question_id], order=c.order, value=c.value, labels=c.labels, extra=c.extra)
            for c in Choice.objects.filter(question__version=source)
        ],
        batch_size=2000,
    )
    for file in source.files.all():
        VersionFile.objects.create(
            version=target,
            name=file.name,
            file=ContentFile(file.file.open("rb").read(), name=file.name),
            content_type=file.content_type,
            size=file.size,
            md5=file.md5,
            uploaded_by=file.uploaded_by,
        )


def version_problems(version):
    """Why the version cannot be used yet: questions without options, missing files, broken expressions."""
    questions = list(ordered_questions(version).prefetch_related("choices"))
    problems = []
    if not any(q.is_answered for q in questions):
        problems.append(_("A questionnaire needs at least one question before it is published."))
    files = set(version.files.values_list("name", flat=True))
    spec = version_form_spec(version)
    for name in spec.files:
        if name not in files and name != "actors.csv":
            problems.append(_("The form needs the file %(name)s: attach it to the version.") % {"name": name})
    for q in questions:
        if q.type in (*Question.CHOICE_TYPES, T.YES_NO) and not q.choices.all() and q.list_name not in files:
            problems.append(_("Question %(code)s has no options.") % {"code": q.code})
    for code, message in formcheck.expression_problems(spec):
        problems.append(_("Question %(code)s: %(message)s") % {"code": code, "message": message})
    return problems


@transaction.atomic
def version_publish(*, version, published_by):
    """Freeze a draft: it becomes the version researchers use; earlier published versions retire."""
    version = QuestionnaireVersion.objects.select_for_update().get(pk=version.pk)
    _require_draft(version)
    problems = version_problems(version)
    if problems:
        raise ValidationError(problems)
    QuestionnaireVersion.objects.filter(
        questionnaire=version.questionnaire_id, status=QuestionnaireVersion.Status.PUBLISHED
    ).update(status=QuestionnaireVersion.Status.RETIRED)
    version.status = QuestionnaireVersion.Status.PUBLISHED
    version.published_at = timezone.now()
    version.published_by = published_by
    version.save(update_fields=["status", "published_at", "published_by"])
    return version


@transaction.atomic
def version_delete(*, version):
    """Throw away a draft version that no interview uses."""
    _require_draft(version)
    if version.interviews.exists():
        raise ValidationError(_("Interviews use this version: it cannot be deleted."))
    questionnaire = version.questionnaire
    names = [(f.file.name, f.file.storage) for f in version.files.all()]
    Choice.objects.filter(question__version=version).delete()
    version.questions.all().delete()
    version.delete()
    for name, storage in names:
        transaction.on_commit(lambda name=name, storage=storage: storage.delete(name))
    if not questionnaire.versions.exists():
        questionnaire.delete()


@transaction.atomic
def version_update_languages(*, version, languages, default_language):
    """Set the form's languages (names as XLSForm writes them, e.g. 'Runasimi (qu)') and its default one."""
    _require_draft(version)
    cleaned = []
    for name in languages:
        name = " ".join(str(name).split())
        if name and name not in cleaned:
            cleaned.append(name)
    if not cleaned:
        raise ValidationError({"languages": _("A form needs at least one language.")})
    if default_language not in cleaned:
        raise ValidationError({"default_language": _("The default language must be one of the form's languages.")})
    version.languages = [default_language, *[n for n in cleaned if n != default_language]]
    version.default_language = default_language
    version.save(update_fields=["languages", "default_language"])
    return version


# --- XLSForm import ---------------------------------------------------------------------------------


@transaction.atomic
def version_import_xlsform(*, data, created_by, questionnaire=None, name=""):
    """A new draft version built from an XLSForm file (.xlsx or .xls): all of it or, on any problem, nothing.

    Without ``questionnaire`` a new questionnaire is created (named ``name`` or the form's title).
    Raises ValidationError (size, name, an existing draft) or xlsform.XLSFormError (the form's problems).
    What is left out without refusing the form (choice lists no question uses) is in the returned version's
    ``import_warnings`` (xlsform.Problem, by sheet and row) and in its notes.
    """
    from surveys import xlsform

    if len(data) > settings.CASEBOOK_MAX_IMPORT_BYTES:
        raise ValidationError(
            _("The file is too large: %(size)s MB, at most %(limit)s MB.")
            % {"size": megabytes(len(data)), "limit": megabytes(settings.CASEBOOK_MAX_IMPORT_BYTES)}
        )
    spec = xlsform.read_xlsform(data)  # any unreadable file is an XLSFormError listing why
    if questionnaire is None:
        title = (name or spec.title or spec.form_id or _("Imported questionnaire")).strip()[:200]
        if Questionnaire.objects.filter(name=title).exists() and not name:
            title = f"{title[:180]} ({timezone.localdate().isoformat()})"
        version = questionnaire_create(name=title, created_by=created_by, languages=spec.languages)
    else:
        if questionnaire.versions.filter(status=QuestionnaireVersion.Status.DRAFT).exists():
            raise ValidationError(
                _("This questionnaire already has a draft version. Publish or delete it before importing another.")
            )
        number = (questionnaire.versions.aggregate(top=Max("number"))["top"] or 0) + 1
        version = QuestionnaireVersion(questionnaire=questionnaire, number=number, created_by=created_by)
    version.form_id = (spec.form_id or "")[:100]
    version.languages = spec.languages
    version.default_language = spec.default_language
    version.form_settings = spec.settings
    # The site numbers versions itself (devices see that number); the file's own version is noted.
    version.notes = (
        _("Imported from an XLSForm file (its version: %(version)s).") % {"version": spec.version}
        if spec.version
        else _("Imported from an XLSForm file.")
    )
    if spec.warnings:
        left_out = "; ".join(warning.message for warning in spec.warnings)
        told = _("Left out: %(what)s") % {"what": left_out}
        version.notes = f"{version.notes} {told}"
    version.full_clean()
    version.save()
    version_build(version=version, spec=spec)
    version.import_warnings = spec.warnings  # for the page that imported it; also written in the notes
    return version


def version_build(*, version, spec):
    """Fill an empty draft version with the groups, questions and choices of a FormSpec (in bulk)."""
    from surveys import xlsform

    sections = {}
    for order, item in enumerate(spec.items, start=1):
        if isinstance(item, xlsform.SectionSpec):
            section = Section(
                version=version,
                order=order,
                parent=sections.get(item.parent),
                **{name: getattr(item, name) for name in SECTION_FIELDS if name != "parent"},
            )
            try:
                section.full_clean(exclude=["version", "parent"])
            except ValidationError as error:
                raise ValidationError(
                    _("Group %(code)s: %(problem)s") % {"code": item.code, "problem": "; ".join(error.messages)}
                ) from None
            section.save()  # one by one: a group's children need its pk
            sections[item.code] = section
    questions, choice_rows = [], []
    for order, item in enumerate(spec.items, start=1):
        if isinstance(item, xlsform.SectionSpec):
            continue
        question = Question(version=version, section=sections.get(item.section_code), order=order)
        _set_fields(question, {name: getattr(item, name) for name in QUESTION_FIELDS if name != "section"})
        try:
            question.full_clean(exclude=["version", "section"])
            choice_rows.append(_clean_choices(question, [(c.value, c.labels, c.extra) for c in item.choices]))
        except ValidationError as error:
            raise ValidationError(
                _("Question %(code)s: %(problem)s") % {"code": item.code, "problem": "; ".join(error.messages)}
            ) from None
        questions.append(question)
    Question.objects.bulk_create(questions, batch_size=1000)
    for question, rows in zip(questions, choice_rows, strict=True):
        for row in rows:
            row.question = question
    Choice.objects.bulk_create([row for rows in choice_rows for row in rows], batch_size=2000)
    return version


# --- Files of a form --------------------------------------------------------------------------------


def _csv_choices(data: bytes, value_column="name", label_column="label"):
    """(value, {language: label}, {column: value}) rows of a choices CSV (columns name, label[::lang], …, or
    the columns the question's ``value=`` and ``label=`` parameters name)."""
    reader = form_csv_reader(data.decode("utf-8-sig"))
    if not reader.fieldnames or value_column not in reader.fieldnames:
        raise ValidationError(
            {"file": _("The CSV needs a '%(value)s' column (the value) and a '%(label)s' column.")
             % {"value": value_column, "label": label_column}}
        )  # fmt: skip
    rows = []
    for row in reader:
        value = (row.get(value_column) or "").strip()
        if not value:
            continue
        labels, extra = {}, {}
        for column, cell in row.items():
            if column is None or column == value_column:
                continue
            if column == label_column:
                labels["default"] = cell or ""
            elif column.startswith(f"{label_column}::"):
                labels[column.removeprefix(f"{label_column}::")] = cell or ""
            else:
                extra[column] = cell or ""
        rows.append((value, labels or {"default": value}, extra))
    return rows


def _require_utf8(name, data: bytes) -> None:
    """A form's CSV is read as UTF-8 (a BOM allowed), as ODK Collect and the web form read it. Excel's plain
    "CSV" is Windows-1252 on Spanish Windows: its accents and ñ would not read (pulldata() and the choices
    would find no rows), so such a file is refused with how to save it right; the file attached before stays."""
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValidationError(
            {
                "file": _(
                    "%(name)s is not saved as UTF-8 text (line %(line)s has a character in another encoding, "
                    "probably Windows-1252 or Latin-1, as Excel saves a plain CSV): the form's CSV files must be "
                    "UTF-8. In Excel choose File > Save as > 'CSV UTF-8 (Comma delimited) (*.csv)'; in LibreOffice, "
                    "Save as 'Text CSV' with the character set 'Unicode (UTF-8)'. The file was not attached; the "
                    "one attached before, if any, is kept."
                )
                % {"name": name, "line": data[: error.start].count(b"\n") + 1}
            }
        ) from None


@transaction.atomic
def version_file_add(*, version, uploaded_file, uploaded_by):
    """Attach a file the form names (a choices CSV for select_one_from_file, an image of a label).

    A CSV of choices becomes the options of the questions that read it, so answers and findings use them.
    """
    _require_draft(version)
    name = os.path.basename(uploaded_file.name or "")
    if not name.lower().endswith(MEDIA_FILE_TYPES):
        raise ValidationError({"file": _("Form files are CSV lists, images, audio or video (by their name).")})
    limit = settings.CASEBOOK_MAX_ATTACHMENT_BYTES
    if uploaded_file.size > limit:
        raise ValidationError(
            {
                "file": _("The file is too large: %(size)s MB, at most %(limit)s MB.")
                % {"size": megabytes(uploaded_file.size), "limit": megabytes(limit)}
            }
        )
    data = uploaded_file.read()
    readers = list(Question.objects.filter(version=version, list_name=name))
    if name.lower().endswith(CHOICE_FILE_TYPES):
        _require_utf8(name, data)
        # Excel's "CSV UTF-8" starts with a BOM, which ODK Collect would read as part of the first column's
        # name (getodk/javarosa#687: "node for itemset doesn't exist"): devices get the file without it.
        data = data.removeprefix(codecs.BOM_UTF8)
        for question in readers:
            if question.type == T.ACTOR_RELATIONSHIP:
                continue
            parameters = question.parameters or {}
            try:
                rows = _csv_choices(data, parameters.get("value", "name"), parameters.get("label", "label"))
            except csv.Error as error:
                raise ValidationError({"file": _("The CSV cannot be read: %(error)s") % {"error": error}}) from None
            choices = _clean_choices(question, rows)
            question.choices.all().delete()
            Choice.objects.bulk_create(choices, batch_size=2000)
    version.files.filter(name=name).delete()
    return VersionFile.objects.create(
        version=version,
        name=name,
        file=ContentFile(data, name=name),
        content_type=uploaded_file.content_type or "application/octet-stream",
        size=len(data),
        md5=hashlib.md5(data, usedforsecurity=False).hexdigest(),
        uploaded_by=uploaded_by,
    )


@transaction.atomic
def version_file_delete(*, file):
    _require_draft(file.version)
    name, storage = file.file.name, file.file.storage
    file.delete()
    transaction.on_commit(lambda: storage.delete(name))
