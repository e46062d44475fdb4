"""Pages of questionnaires: the list, a version with its groups and questions, the builder, files, XLSForm."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clusters.access import require_perm
from clusters.collation import spanish
from clusters.forms import add_service_errors
from surveys import selectors, services
from surveys.forms import (
    ImportForm,
    LanguagesForm,
    QuestionForm,
    QuestionnaireForm,
    SectionForm,
    VersionFileForm,
)
from surveys.languages import language_label
from surveys.models import Question, QuestionnaireVersion, Section, VersionFile


def _run(request, call, *, success="", each=False):
    """A builder button's service call: what the service refuses (ValidationError) goes back as an error
    message (one per problem when ``each``), ``success`` when it went through. Whether it went through."""
    try:
        call()
    except ValidationError as error:
        for message in error.messages if each else [" ".join(error.messages)]:
            messages.error(request, message)
        return False
    if success:
        messages.success(request, success)
    return True


def _visible_version(user, pk):
    return get_object_or_404(selectors.visible_versions(user), pk=pk)


def questionnaire_list(request):
    require_perm(request.user, "surveys.view_questionnaire")
    versions = selectors.visible_versions(request.user).annotate(
        question_count=Count("questions", distinct=True), interview_count=Count("interviews", distinct=True)
    )
    questionnaires = {}
    for version in versions.order_by(spanish("questionnaire__name"), "-number"):
        questionnaires.setdefault(version.questionnaire, []).append(version)
    return render(
        request,
        "surveys/questionnaire_list.html",
        {
            "questionnaires": questionnaires.items(),
            "can_edit": request.user.has_perm("surveys.change_questionnaire"),
        },
    )


def questionnaire_create(request):
    require_perm(request.user, "surveys.add_questionnaire")
    form = QuestionnaireForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.questionnaire_create(
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                created_by=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Questionnaire created. Add its sections and questions."))
            return redirect("surveys:version_detail", pk=version.pk)
    return render(request, "surveys/questionnaire_form.html", {"form": form})


# Warnings of an import shown on the page (a form may carry hundreds of leftover lists); the notes keep all.
SHOWN_WARNINGS = 20


def questionnaire_import(request, pk=None):
    """Import an XLSForm as a new questionnaire, or (with pk) as a new draft version of one."""
    from surveys.xlsform import XLSFormError

    require_perm(request.user, "surveys.add_questionnaireversion")
    questionnaire = None
    if pk is not None:
        version = get_object_or_404(QuestionnaireVersion.objects.select_related("questionnaire"), pk=pk)
        questionnaire = version.questionnaire
    form = ImportForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            # Never more than one byte past the limit is read: enough for the service to refuse it.
            data = upload.read(settings.CASEBOOK_MAX_IMPORT_BYTES + 1)
            version = services.version_import_xlsform(
                data=data, created_by=request.user, questionnaire=questionnaire, name=form.cleaned_data["name"]
            )
        except XLSFormError as error:
            problems = error.problems
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The form was imported as draft version %(number)s: review it and publish it.")
                % {"number": version.number},
            )
            for warning in version.import_warnings[:SHOWN_WARNINGS]:
                messages.warning(
                    request,
                    _("Sheet %(sheet)s, row %(row)s: %(message)s")
                    % {"sheet": warning.sheet, "row": warning.row, "message": warning.message},
                )
            if len(version.import_warnings) > SHOWN_WARNINGS:
                messages.warning(
                    request,
                    _("And %(count)d more like these: the version's notes list them all.")
                    % {"count": len(version.import_warnings) - SHOWN_WARNINGS},
                )
            return redirect("surveys:version_detail", pk=version.pk)
    return render(
        request,
        "surveys/questionnaire_import.html",
        {"form": form, "problems": problems, "questionnaire": questionnaire},
    )


def _outline(version, questions):
    """The version's groups and questions as nested (kind, item, children) for the page, in the form's order."""
    sections = list(version.sections.order_by("order", "pk"))
    for section in sections:
        section.use_language(None, version.default_language)
    children = {}
    for section in sections:
        children.setdefault(section.parent_id, []).append((section.order, 0, section))
    for question in questions:
        children.setdefault(question.section_id, []).append((question.order, 1, question))

    def nodes(parent):
        return [
            ("question" if kind else "section", item, [] if kind else nodes(item.pk))
            for _order, kind, item in sorted(children.get(parent, []), key=lambda x: (x[0], x[1]))
        ]

    return nodes(None), sections


def version_detail(request, pk):
    require_perm(request.user, "surveys.view_questionnaireversion")
    version = _visible_version(request.user, pk)
    questions = selectors.form_questions(version)
    outline, sections = _outline(version, questions)
    can_edit = version.is_editable and request.user.has_perm("surveys.change_questionnaire")
    others = selectors.visible_versions(request.user).filter(questionnaire=version.questionnaire).order_by("-number")
    files = list(version.files.all())
    spec_files = selectors.version_form_spec(version).files if can_edit else []
    return render(
        request,
        "surveys/version_detail.html",
        {
            "version": version,
            "questions": questions,
            "outline": outline,
            "sections": sections,
            "languages": [language_label(name) for name in version.languages or []],
            "files": files,
            "missing_files": [
                name for name in spec_files if name not in {f.name for f in files} and name != "actors.csv"
            ],
            "file_form": VersionFileForm() if can_edit else None,
            "can_edit": can_edit,
            # Question codes, choice values and skip-logic expressions are for those who write questionnaires.
            "show_codes": request.user.has_perm("surveys.change_questionnaire"),
            "can_publish": version.is_editable and request.user.has_perm("surveys.publish_questionnaireversion"),
            "can_copy": not version.is_editable and request.user.has_perm("surveys.add_questionnaireversion"),
            "versions": others,
            "has_draft": others.filter(status=QuestionnaireVersion.Status.DRAFT).exists(),
        },
    )


@require_POST
def version_new_draft(request, pk):
    require_perm(request.user, "surveys.add_questionnaireversion")
    version = get_object_or_404(QuestionnaireVersion, pk=pk)
    draft = services.version_create_draft(questionnaire=version.questionnaire, created_by=request.user)
    messages.success(request, _("Draft version %(number)s is ready to edit.") % {"number": draft.number})
    return redirect("surveys:version_detail", pk=draft.pk)


@require_POST
def version_publish(request, pk):
    require_perm(request.user, "surveys.publish_questionnaireversion")
    version = get_object_or_404(QuestionnaireVersion, pk=pk)
    _run(
        request,
        lambda: services.version_publish(version=version, published_by=request.user),
        success=_("Version %(number)s is published.") % {"number": version.number},
        each=True,
    )
    return redirect("surveys:version_detail", pk=version.pk)


@require_POST
def version_delete(request, pk):
    require_perm(request.user, "surveys.delete_questionnaireversion")
    version = get_object_or_404(QuestionnaireVersion, pk=pk)
    if not _run(request, lambda: services.version_delete(version=version), success=_("The draft was deleted.")):
        return redirect("surveys:version_detail", pk=version.pk)
    return redirect("surveys:questionnaire_list")


def version_export(request, pk):
    """The version as an XLSForm spreadsheet, in every language it has."""
    from surveys import xlsform

    require_perm(request.user, "surveys.view_questionnaireversion")
    version = _visible_version(request.user, pk)
    data = xlsform.write_xlsform(selectors.version_form_spec(version))
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    name = version.form_id or f"questionnaire-{version.questionnaire_id}"
    response["Content-Disposition"] = f'attachment; filename="{name}-v{version.number}.xlsx"'
    return response


def _draft_version(request, pk, perm="surveys.change_questionnaire"):
    require_perm(request.user, perm)
    version = get_object_or_404(QuestionnaireVersion.objects.select_related("questionnaire"), pk=pk)
    if not version.is_editable:
        raise PermissionDenied
    return version


def version_languages(request, pk):
    """The form's languages: Quechua, Aymara or any other besides Spanish and English."""
    version = _draft_version(request, pk)
    form = LanguagesForm(
        request.POST or None,
        initial={"languages": "\n".join(version.languages or []), "default_language": version.default_language},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.version_update_languages(
                version=version,
                languages=form.cleaned_data["languages"],
                default_language=form.cleaned_data["default_language"].strip(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The form's languages are saved."))
            return redirect("surveys:version_detail", pk=version.pk)
    return render(request, "surveys/version_languages.html", {"form": form, "version": version})


@require_POST
def version_file_upload(request, pk):
    version = _draft_version(request, pk)
    form = VersionFileForm(request.POST, request.FILES)
    if form.is_valid():
        _run(
            request,
            lambda: services.version_file_add(
                version=version, uploaded_file=form.cleaned_data["file"], uploaded_by=request.user
            ),
            success=_("File attached to the form."),
            each=True,
        )
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect(reverse("surveys:version_detail", kwargs={"pk": version.pk}) + "#files")


def version_file_download(request, pk):
    require_perm(request.user, "surveys.view_questionnaireversion")
    file = get_object_or_404(VersionFile.objects.filter(version__in=selectors.visible_versions(request.user)), pk=pk)
    try:
        handle = file.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=file.name, content_type=file.content_type)


@require_POST
def version_file_delete(request, pk):
    require_perm(request.user, "surveys.change_questionnaire")
    file = get_object_or_404(VersionFile.objects.select_related("version"), pk=pk)
    _run(request, lambda: services.version_file_delete(file=file))
    return redirect(reverse("surveys:version_detail", kwargs={"pk": file.version_id}) + "#files")


def _part_of_draft(request, model, pk, version_pk):
    """(the section or question being edited, or None for a new one; its draft version), after the
    change or add permission of ``model``; a version that is no longer a draft cannot be edited."""
    name = model._meta.model_name
    if pk is not None:
        require_perm(request.user, f"surveys.change_{name}")
        part = get_object_or_404(model.objects.select_related("version__questionnaire"), pk=pk)
        version = part.version
    else:
        require_perm(request.user, f"surveys.add_{name}")
        part = None
        version = get_object_or_404(QuestionnaireVersion.objects.select_related("questionnaire"), pk=version_pk)
    if not version.is_editable:
        raise PermissionDenied
    return part, version


def section_form(request, pk=None, version_pk=None):
    section, version = _part_of_draft(request, Section, pk, version_pk)
    form = SectionForm(request.POST or None, version=version, section=section)
    if request.method == "POST" and form.is_valid():
        data = form.section_fields()
        try:
            if section is None:
                services.section_create(version=version, **data)
            else:
                services.section_update(section=section, **data)
        except ValidationError as error:
            add_service_errors(form, error, {"labels": "label__0"})
        else:
            return redirect("surveys:version_detail", pk=version.pk)
    return render(request, "surveys/section_form.html", {"form": form, "version": version, "section": section})


@require_POST
def section_delete(request, pk):
    require_perm(request.user, "surveys.delete_section")
    section = get_object_or_404(Section, pk=pk)
    _run(request, lambda: services.section_delete(section=section))
    return redirect("surveys:version_detail", pk=section.version_id)


def question_form(request, pk=None, version_pk=None):
    question, version = _part_of_draft(request, Question, pk, version_pk)
    form = QuestionForm(request.POST or None, instance=question, version=version)
    if request.method == "POST" and form.is_valid():
        fields = form.question_fields()
        choices = form.cleaned_data["choices_text"]
        try:
            if question is None:
                services.question_create(version=version, choices=choices, **fields)
            else:
                services.question_update(question=Question.objects.get(pk=question.pk), choices=choices, **fields)
        except ValidationError as error:
            add_service_errors(form, error, {"choices": "choices_text", "labels": "labels__0"})
        else:
            messages.success(request, _("Question %(code)s saved.") % {"code": fields["code"]})
            return redirect(reverse("surveys:version_detail", kwargs={"pk": version.pk}) + f"#q-{fields['code']}")
    codes = list(version.questions.exclude(pk=getattr(question, "pk", None)).values_list("code", flat=True))
    return render(
        request, "surveys/question_form.html", {"form": form, "version": version, "question": question, "codes": codes}
    )


@require_POST
def question_delete(request, pk):
    require_perm(request.user, "surveys.delete_question")
    question = get_object_or_404(Question, pk=pk)
    _run(
        request,
        lambda: services.question_delete(question=question),
        success=_("Question %(code)s deleted.") % {"code": question.code},
    )
    return redirect("surveys:version_detail", pk=question.version_id)


@require_POST
def question_move(request, pk):
    require_perm(request.user, "surveys.change_question")
    question = get_object_or_404(Question, pk=pk)
    _run(request, lambda: services.question_move(question=question, up=request.POST.get("direction") == "up"))
    return redirect(reverse("surveys:version_detail", kwargs={"pk": question.version_id}) + f"#q-{question.code}")
