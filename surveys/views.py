import uuid

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clusters.access import get_visible_cluster, require_perm, visible_clusters
from clusters.collation import spanish
from clusters.concurrency import ConcurrentEdit
from clusters.models import Actor
from clusters.pagination import BoundedPaginator
from surveys import exports, selectors, services
from surveys.forms import (
    NEW_ACTOR_FIELDS,
    AttachmentForm,
    FindingsForm,
    ImportForm,
    InterviewFilter,
    InterviewForm,
    QuestionForm,
    QuestionnaireForm,
    ReviewForm,
    SectionForm,
    StartInterviewForm,
    format_duration,
    question_field_name,
)
from surveys.history import interview_history
from surveys.models import Attachment, Interview, Question, QuestionnaireVersion, Section

PAGE_SIZE = 25

# --- Questionnaires ---------------------------------------------------------------------------------


def _visible_version(user, pk):
    return get_object_or_404(selectors.visible_versions(user), pk=pk)


def _editable_version(user, pk):
    require_perm(user, "surveys.change_questionnaire")
    return get_object_or_404(QuestionnaireVersion.objects.select_related("questionnaire"), pk=pk)


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
            form.add_error(None, error)
        else:
            messages.success(request, _("Questionnaire created. Add its sections and questions."))
            return redirect("surveys:version_detail", pk=version.pk)
    return render(request, "surveys/questionnaire_form.html", {"form": form})


def questionnaire_import(request, pk=None):
    """Import an XLSForm as a new questionnaire, or (with pk) as a new draft version of one."""
    require_perm(request.user, "surveys.add_questionnaireversion")
    questionnaire = None
    if pk is not None:
        version = get_object_or_404(QuestionnaireVersion.objects.select_related("questionnaire"), pk=pk)
        questionnaire = version.questionnaire
    form = ImportForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        from surveys.xlsform import XLSFormError

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
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("The form was imported as draft version %(number)s: review it and publish it.")
                % {"number": version.number},
            )
            return redirect("surveys:version_detail", pk=version.pk)
    return render(
        request,
        "surveys/questionnaire_import.html",
        {"form": form, "problems": problems, "questionnaire": questionnaire},
    )


def version_detail(request, pk):
    require_perm(request.user, "surveys.view_questionnaireversion")
    version = _visible_version(request.user, pk)
    questions = list(selectors.ordered_questions(version).prefetch_related("choices"))
    can_edit = version.is_editable and request.user.has_perm("surveys.change_questionnaire")
    others = selectors.visible_versions(request.user).filter(questionnaire=version.questionnaire).order_by("-number")
    return render(
        request,
        "surveys/version_detail.html",
        {
            "version": version,
            "questions": questions,
            "sections": version.sections.all(),
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
    try:
        services.version_publish(version=version, published_by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Version %(number)s is published.") % {"number": version.number})
    return redirect("surveys:version_detail", pk=version.pk)


@require_POST
def version_delete(request, pk):
    require_perm(request.user, "surveys.delete_questionnaireversion")
    version = get_object_or_404(QuestionnaireVersion, pk=pk)
    try:
        services.version_delete(version=version)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("surveys:version_detail", pk=version.pk)
    messages.success(request, _("The draft was deleted."))
    return redirect("surveys:questionnaire_list")


def version_export(request, pk):
    """The version as an XLSForm spreadsheet."""
    from surveys import xlsform

    require_perm(request.user, "surveys.view_questionnaireversion")
    version = _visible_version(request.user, pk)
    data = xlsform.write_xlsform(selectors.version_form_spec(version))
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    name = version.form_id or f"questionnaire-{version.questionnaire_id}"
    response["Content-Disposition"] = f'attachment; filename="{name}-v{version.number}.xlsx"'
    return response


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
    form = SectionForm(request.POST or None, instance=section)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in ("code", "title_es", "title_en")}
        try:
            if section is None:
                services.section_create(version=version, **data)
            else:
                services.section_update(section=section, **data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("surveys:version_detail", pk=version.pk)
    return render(request, "surveys/section_form.html", {"form": form, "version": version, "section": section})


@require_POST
def section_delete(request, pk):
    require_perm(request.user, "surveys.delete_section")
    section = get_object_or_404(Section, pk=pk)
    try:
        services.section_delete(section=section)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
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
            _add_errors(form, error, {"choices": "choices_text"})
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
    try:
        services.question_delete(question=question)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Question %(code)s deleted.") % {"code": question.code})
    return redirect("surveys:version_detail", pk=question.version_id)


@require_POST
def question_move(request, pk):
    require_perm(request.user, "surveys.change_question")
    question = get_object_or_404(Question, pk=pk)
    try:
        services.question_move(question=question, up=request.POST.get("direction") == "up")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(reverse("surveys:version_detail", kwargs={"pk": question.version_id}) + f"#q-{question.code}")


def _add_errors(form, error, renames=None):
    """Put a service's ValidationError on the form's fields (by name, renamed where they differ)."""
    renames = renames or {}
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            target = renames.get(name, name)
            form.add_error(target if target in form.fields else None, errors)
    else:
        form.add_error(None, error)


# --- Interviews -------------------------------------------------------------------------------------


def interview_list(request):
    require_perm(request.user, "surveys.view_interview")
    interviews = selectors.interview_list(request.user)
    filterset = InterviewFilter(request.GET or None, queryset=interviews, user=request.user)
    page = BoundedPaginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    cluster = filterset.form.cleaned_data.get("cluster") if filterset.is_bound and filterset.form.is_valid() else None
    return render(
        request,
        "surveys/interview_list.html",
        {
            "filter": filterset,
            "page": page,
            "rows": selectors.interview_rows(page.object_list, filterset.row_names()),
            "query": query.urlencode(),
            "cluster": cluster,
            "can_add": request.user.has_perm("surveys.add_interview"),
        },
    )


def _filtered_for_export(request):
    require_perm(request.user, "surveys.view_interview")
    filterset = InterviewFilter(
        request.GET or None, queryset=selectors.visible_interviews(request.user), user=request.user
    )
    if filterset.is_bound and not filterset.form.is_valid():
        raise Http404
    return filterset.qs


def interview_export(request, fmt, shape):
    if fmt not in ("csv", "xlsx") or shape not in ("wide", "long"):
        raise Http404
    interviews = _filtered_for_export(request)
    choices_as = exports.CODES if request.GET.get("choices") == "codes" else exports.LABELS
    rows = (exports.wide_rows if shape == "wide" else exports.long_rows)(interviews, choices_as)
    stamp = timezone.localdate().isoformat()
    name = f"entrevistas-{shape}-{stamp}"
    if fmt == "csv":
        response = StreamingHttpResponse(exports.csv_stream(rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    handle = exports.xlsx_file(rows, title=_("Interviews"))
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"{name}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def interview_start(request):
    """Step one (choose questionnaire and cluster), then the interview form for that pair."""
    require_perm(request.user, "surveys.add_interview")
    source = request.POST if request.method == "POST" else request.GET
    if source.get("version") and source.get("cluster"):
        cluster = get_visible_cluster(request.user, source["cluster"])
        version = get_object_or_404(selectors.usable_versions(), pk=_int_or_404(source["version"]))
        return _interview_form_page(request, version=version, cluster=cluster, interview=None)
    start = StartInterviewForm(user=request.user, initial={"cluster": request.GET.get("cluster")})
    return render(request, "surveys/interview_start.html", {"start": start})


def _int_or_404(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


def interview_edit(request, pk):
    require_perm(request.user, "surveys.change_interview")
    interview = get_object_or_404(
        selectors.visible_interviews(request.user).select_related("version__questionnaire", "cluster", "actor"), pk=pk
    )
    if interview.interviewer_id != request.user.pk or not interview.is_editable:
        raise PermissionDenied
    return _interview_form_page(request, version=interview.version, cluster=interview.cluster, interview=interview)


def _cluster_actors(cluster):
    return list(Actor.objects.filter(memberships__cluster=cluster).only("id", "name").order_by(spanish("name")))


def _interview_form_page(request, *, version, cluster, interview):
    questions = list(selectors.ordered_questions(version).prefetch_related("choices"))
    actors = _cluster_actors(cluster)
    saving = request.method == "POST" and "uuid" in request.POST
    if saving:
        form = InterviewForm(request.POST, questions=questions, cluster_actors=actors, interview=interview)
    elif interview is not None:
        answers = services.interview_answers(interview, questions)
        form = InterviewForm(
            initial=InterviewForm.initial_for(interview, answers, questions),
            questions=questions,
            cluster_actors=actors,
            interview=interview,
        )
    else:
        # The client id and the page token are made when the page is made: re-posting it never duplicates.
        form = InterviewForm(
            initial={"uuid": uuid.uuid4(), "form_token": uuid.uuid4(), "date": timezone.localdate()},
            questions=questions,
            cluster_actors=actors,
        )
    if saving and form.is_valid():
        submit = "submit" in request.POST
        try:
            saved = form.save(user=request.user, version=version, cluster=cluster, submit=submit)
        except ConcurrentEdit:
            # The typed values stay; saving this page again now knowingly replaces the other person's save.
            data = request.POST.copy()
            current = Interview.objects.filter(uuid=form.cleaned_data["uuid"]).values_list("lock_version", flat=True)
            data["lock_version"] = current.first() or ""
            form = InterviewForm(data, questions=questions, cluster_actors=actors, interview=interview)
            form.is_valid()
            form.add_error(None, ConcurrentEdit.message)
        except ValidationError as error:
            renames = {code: question_field_name(q) for q in questions for code in [q.code]}
            renames.update(NEW_ACTOR_FIELDS)
            _add_errors(form, error, renames)
        else:
            if saved.problems:
                # Saved as a draft: the page shows what is missing, next to each question.
                data = request.POST.copy()
                data["lock_version"] = saved.interview.lock_version
                data["actor"] = saved.interview.actor_id
                for name in ("new_actor_name", "new_actor_kind", "new_actor_ruc"):
                    data[name] = ""
                form = InterviewForm(
                    data, questions=questions, cluster_actors=_cluster_actors(cluster), interview=saved.interview
                )
                form.is_valid()
                for code, problem in saved.problems.items():
                    target = (
                        code
                        if code == "consent_given"
                        else question_field_name(next(q for q in questions if q.code == code))
                    )
                    form.add_error(target, problem)
                messages.warning(request, _("Saved as a draft. To submit it, complete what is marked below."))
                interview = saved.interview
            elif saved.submitted:
                messages.success(request, _("Interview submitted for review. Thank you."))
                return redirect(saved.interview)
            else:
                messages.success(request, _("Draft saved."))
                return redirect("surveys:interview_edit", pk=saved.interview.pk)
    sections = _sectioned(form, questions)
    return render(
        request,
        "surveys/interview_form.html",
        {
            "form": form,
            "version": version,
            "cluster": cluster,
            "interview": interview,
            "sections": sections,
            "attachment_form": AttachmentForm() if interview is not None else None,
            "attachments": interview.attachments.all() if interview is not None else [],
            "max_attachment_mb": settings.CASEBOOK_MAX_ATTACHMENT_BYTES // (1024 * 1024),
        },
    )


def _sectioned(form, questions):
    """[(section or None, [(question, bound field)])] in questionnaire order."""
    groups = []
    for question in questions:
        if not groups or groups[-1][0] != question.section:
            groups.append((question.section, []))
        groups[-1][1].append((question, form[question_field_name(question)]))
    return groups


def interview_detail(request, pk):
    require_perm(request.user, "surveys.view_interview")
    interview = get_object_or_404(
        selectors.visible_interviews(request.user).select_related(
            "version__questionnaire", "cluster", "actor", "interviewer", "reviewed_by"
        ),
        pk=pk,
    )
    questions = list(selectors.ordered_questions(interview.version).prefetch_related("choices"))
    answers = services.interview_answers(interview, questions)
    actor_names = dict(
        Actor.objects.filter(
            pk__in=[
                pk for q in questions if q.type == Question.Type.ACTOR_RELATIONSHIP for pk in answers.get(q.code, [])
            ]
        ).values_list("pk", "name")
    )
    skipped = selectors.skipped_codes(questions, answers)
    rows = []
    for question in questions:
        rows.append((question, _display(question, answers.get(question.code), actor_names), question.code in skipped))
    can_review = interview.status == Interview.Status.SUBMITTED and request.user.has_perm("surveys.review_interview")
    return render(
        request,
        "surveys/interview_detail.html",
        {
            "interview": interview,
            "rows": rows,
            "can_edit": interview.is_editable
            and interview.interviewer_id == request.user.pk
            and request.user.has_perm("surveys.change_interview"),
            "review_form": ReviewForm() if can_review else None,
            "changes": interview_history(interview, questions),
            "attachments": interview.attachments.all(),
            "ties": interview.relationships.select_related("source", "target"),
            "duration_text": format_duration(interview.duration),
        },
    )


def _display(question, value, actor_names):
    if value is None or value == [] or value == "":
        return None
    if question.type == Question.Type.YES_NO:
        return _("Yes") if value else _("No")
    if question.type in Question.CHOICE_TYPES:
        labels = {c.value: c.label for c in question.choices.all()}
        values = [value] if isinstance(value, str) else value
        return "; ".join(labels.get(v, v) for v in values)
    if question.type == Question.Type.ACTOR_RELATIONSHIP:
        return "; ".join(actor_names.get(pk, str(pk)) for pk in value)
    if question.type in Question.NUMBER_TYPES:
        return format(value.normalize(), "f")
    return value


@require_POST
def interview_review(request, pk):
    require_perm(request.user, "surveys.review_interview")
    interview = get_object_or_404(selectors.visible_interviews(request.user), pk=pk)
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            if form.cleaned_data["decision"] == ReviewForm.APPROVE:
                services.interview_approve(
                    interview=interview, reviewer=request.user, comment=form.cleaned_data["comment"]
                )
                messages.success(request, _("Interview approved."))
            else:
                services.interview_return(
                    interview=interview, reviewer=request.user, comment=form.cleaned_data["comment"]
                )
                messages.success(request, _("Interview returned to its researcher."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("surveys:review_queue")
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
    return redirect(interview)


def review_queue(request):
    require_perm(request.user, "surveys.review_interview")
    queue = (
        selectors.visible_interviews(request.user)
        .filter(status=Interview.Status.SUBMITTED)
        .select_related("cluster", "actor", "interviewer", "version__questionnaire")
        .order_by("submitted_at", "pk")
    )
    page = Paginator(queue, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "surveys/review_queue.html", {"page": page})


# --- Attachments ------------------------------------------------------------------------------------


@require_POST
def attachment_upload(request, pk):
    require_perm(request.user, "surveys.add_attachment")
    interview = get_object_or_404(selectors.visible_interviews(request.user), pk=pk)
    if interview.interviewer_id != request.user.pk or not interview.is_editable:
        raise PermissionDenied
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.attachment_add(
                interview=interview,
                uploaded_file=form.cleaned_data["file"],
                uploaded_by=request.user,
                caption=form.cleaned_data["caption"],
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("File attached."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect(reverse("surveys:interview_edit", kwargs={"pk": interview.pk}) + "#attachments")


@require_POST
def attachment_delete(request, pk):
    require_perm(request.user, "surveys.delete_attachment")
    attachment = get_object_or_404(
        Attachment.objects.filter(interview__in=selectors.visible_interviews(request.user)).select_related("interview"),
        pk=pk,
    )
    if attachment.interview.interviewer_id != request.user.pk or not attachment.interview.is_editable:
        raise PermissionDenied
    services.attachment_delete(attachment=attachment, deleted_by=request.user)
    messages.success(request, _("Attachment removed."))
    return redirect(reverse("surveys:interview_edit", kwargs={"pk": attachment.interview_id}) + "#attachments")


def attachment_download(request, pk):
    """The file, streamed after checking permission on every request (media is never served by URL)."""
    require_perm(request.user, "surveys.view_attachment")
    attachment = get_object_or_404(
        Attachment.objects.filter(interview__in=selectors.visible_interviews(request.user)), pk=pk
    )
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    inline = attachment.kind in (Attachment.Kind.PHOTO, Attachment.Kind.AUDIO) and request.GET.get("inline") == "1"
    return FileResponse(
        handle, as_attachment=not inline, filename=attachment.original_name, content_type=attachment.content_type
    )


# --- Findings ---------------------------------------------------------------------------------------


def findings_index(request):
    require_perm(request.user, "surveys.view_interview")
    clusters = (
        visible_clusters(request.user)
        .annotate(
            approved=Count("interviews", filter=Q(interviews__status=Interview.Status.APPROVED)),
            submitted=Count("interviews", filter=Q(interviews__status=Interview.Status.SUBMITTED)),
        )
        .order_by(spanish("name"))
    )
    return render(request, "surveys/findings_index.html", {"clusters": clusters})


def cluster_findings(request, slug):
    require_perm(request.user, "surveys.view_interview")
    cluster = get_visible_cluster(request.user, slug)
    form = FindingsForm(request.GET or None, user=request.user)
    result = None
    if not form.is_bound:
        latest = selectors.findings_version(cluster, form.fields["version"].queryset)
        form = FindingsForm({"version": latest or "", "statuses": "approved"}, user=request.user)
    if form.is_valid():
        result = selectors.findings(
            cluster=cluster,
            version=form.cleaned_data["version"],
            statuses=form.status_values(),
            date_from=form.cleaned_data.get("date_from"),
            date_to=form.cleaned_data.get("date_to"),
        )
    return render(
        request,
        "surveys/findings.html",
        {
            "cluster": cluster,
            "form": form,
            "result": result,
            "counts": selectors.interview_counts_by_status(cluster),
            "status_labels": dict(Interview.Status.choices),
        },
    )
