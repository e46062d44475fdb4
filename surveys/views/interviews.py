"""Pages of interviews: the list and its exports, the form (new and edit), an interview, its review."""

import uuid

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clusters.access import can_edit_interview, get_visible_cluster, require_perm
from clusters.collation import spanish
from clusters.concurrency import ConcurrentEdit, form_after_concurrent_edit
from clusters.forms import add_service_errors
from clusters.models import Actor
from clusters.pagination import BoundedPaginator
from surveys import engine, export_sql, exports, selectors, services, values
from surveys.forms import (
    NEW_ACTOR_FIELDS,
    AttachmentForm,
    InterviewFilter,
    InterviewForm,
    ReviewForm,
    StartInterviewForm,
    format_duration,
)
from surveys.history import interview_history
from surveys.languages import form_language, language_label
from surveys.models import Interview, Question

PAGE_SIZE = 25


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
    language = request.GET.get("lang") or None
    stamp = timezone.localdate().isoformat()
    name = f"entrevistas-{shape}-{stamp}"
    if fmt == "csv":
        if shape == "wide" and export_sql.available():  # PostgreSQL writes the lines
            pieces = export_sql.wide_csv_stream(interviews, choices_as, language=language)
        else:
            shaped = exports.wide_rows if shape == "wide" else exports.long_rows
            pieces = exports.csv_stream(shaped(interviews, choices_as, language=language))
        response = StreamingHttpResponse(pieces, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    if shape == "wide":
        sheets = exports.wide_sheets(interviews, choices_as, language=language)
        handle = exports.xlsx_workbook(sheets)
    else:
        handle = exports.xlsx_file(exports.long_rows(interviews, choices_as, language=language), title=_("Interviews"))
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"{name}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def interview_start(request):
    """Step one (choose questionnaire, cluster and language), then the interview form for that pair."""
    require_perm(request.user, "surveys.add_interview")
    source = request.POST if request.method == "POST" else request.GET
    if source.get("version") and source.get("cluster"):
        cluster = get_visible_cluster(request.user, source["cluster"])
        version = get_object_or_404(selectors.usable_versions(), pk=_int_or_404(source["version"]))
        return _interview_form_page(
            request, version=version, cluster=cluster, interview=None, language=source.get("language", "")
        )
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
    if not can_edit_interview(request.user, interview):
        raise PermissionDenied
    source = request.POST if request.method == "POST" else request.GET
    return _interview_form_page(
        request,
        version=interview.version,
        cluster=interview.cluster,
        interview=interview,
        language=source.get("language") or interview.language,
    )


def _cluster_actors(cluster):
    return list(Actor.objects.filter(memberships__cluster=cluster).only("id", "name").order_by(spanish("name")))


def _initial_counts(structure, answers):
    """Instances to show at first: what the answers hold, at least one of each open repeat at the top."""
    evaluation = engine.evaluate(structure, answers)
    counts = dict(evaluation.counts)
    for section in structure.sections:
        if section.is_repeat and not section.repeat_count and not structure.repeats_of.get(section.code):
            counts.setdefault((section.code, ""), 0)
            counts[(section.code, "")] = max(counts[(section.code, "")], 1)
    return InterviewForm.counts_for(answers, structure, counts)


def _interview_form_page(request, *, version, cluster, interview, language=""):
    language = form_language(version, language)
    questions = selectors.form_questions(version, language)
    structure = engine.Structure.of(questions)
    actors = _cluster_actors(cluster)
    saving = request.method == "POST" and "uuid" in request.POST
    form_args = {"structure": structure, "cluster_actors": actors, "interview": interview}
    if saving:
        form = InterviewForm(request.POST, request.FILES, **form_args)
    elif interview is not None:
        answers = services.interview_answers(interview, questions)
        initial = InterviewForm.initial_for(interview, answers, structure)
        initial["language"] = language
        form = InterviewForm(initial=initial, counts=_initial_counts(structure, answers), **form_args)
    else:
        # The client id and the page token are made when the page is made: re-posting it never duplicates.
        initial = {
            "uuid": uuid.uuid4(),
            "form_token": uuid.uuid4(),
            "date": timezone.localdate(),
            "started_at": timezone.now(),
            "language": language,
        }
        form = InterviewForm(initial=initial, counts=_initial_counts(structure, {}), **form_args)
    if saving and form.is_valid():
        submit = "submit" in request.POST
        try:
            saved = form.save(user=request.user, version=version, cluster=cluster, submit=submit)
        except ConcurrentEdit:
            current = Interview.objects.filter(uuid=form.cleaned_data["uuid"]).values_list("lock_version", flat=True)
            form = form_after_concurrent_edit(
                InterviewForm, request.POST, version=current.first() or "", version_field="lock_version", **form_args
            )
        except ValidationError as error:
            renames = {key: form.field_for(key) for key in getattr(error, "error_dict", {}) if form.field_for(key)}
            renames.update(NEW_ACTOR_FIELDS)
            add_service_errors(form, error, renames)
        else:
            if saved.problems:
                # Saved as a draft: the page shows what is missing, next to each question.
                data = request.POST.copy()
                data["lock_version"] = saved.interview.lock_version
                data["actor"] = saved.interview.actor_id
                for name in ("new_actor_name", "new_actor_kind", "new_actor_ruc"):
                    data[name] = ""
                form = InterviewForm(
                    data, structure=structure, cluster_actors=_cluster_actors(cluster), interview=saved.interview
                )
                form.is_valid()
                for key, problem in saved.problems.items():
                    form.add_error(key if key == "consent_given" else form.field_for(key), problem)
                messages.warning(request, _("Saved as a draft. To submit it, complete what is marked below."))
                interview = saved.interview
            elif saved.submitted:
                messages.success(request, _("Interview submitted for review. Thank you."))
                return _saved(request, saved.interview.get_absolute_url())
            else:
                messages.success(request, _("Draft saved."))
                return _saved(request, reverse("surveys:interview_edit", kwargs={"pk": saved.interview.pk}))
    return render(
        request,
        "surveys/interview_form.html",
        {
            "form": form,
            "layout": form.layout(),
            "logic": _logic_data(structure, language),
            "version": version,
            "cluster": cluster,
            "interview": interview,
            "language": language,
            "languages": [(name, language_label(name)) for name in version.languages or []],
            "attachment_form": AttachmentForm() if interview is not None else None,
            "attachments": interview.attachments.filter(question__isnull=True) if interview is not None else [],
            "question_files": _question_files(interview),
            "max_attachment_mb": settings.CASEBOOK_MAX_ATTACHMENT_BYTES // (1024 * 1024),
        },
    )


def _saved(request, url):
    """Where the browser goes after a save: a redirect, or — for a save the page's script sends (it kept the
    interview while there was no connection) — that address, so the script goes there itself and the page
    still shows the confirmation."""
    if request.headers.get("X-Casebook-Offline") == "1":
        return JsonResponse({"redirect": url})
    return redirect(url)


def _question_files(interview):
    """{field name: attachment} of the files that answer media questions (to show and keep them)."""
    if interview is None:
        return {}
    from surveys.forms import question_field_name

    return {
        question_field_name(attachment.question, attachment.repeat): attachment
        for attachment in interview.attachments.filter(question__isnull=False).select_related("question")
    }


def _logic_data(structure, language):
    """What the browser's copy of the form logic needs: the nodes, the filtered choices, pulldata()'s rows,
    the messages."""
    return {
        "nodes": structure.nodes,
        "repeats": structure.repeats_of,
        "choices": structure.choices(),
        "choice_labels": structure.choice_labels(),
        "data": structure.data_rows(),
        "language": language,
    }


def _display_rows(interview, questions, answers):
    """(question, repeat, shown text or None, why it is empty) in the form's order, for the detail page."""
    actor_names = dict(
        Actor.objects.filter(
            pk__in=[
                pk
                for (code, _repeat), value in answers.items()
                if value and any(q.code == code and q.type == Question.Type.ACTOR_RELATIONSHIP for q in questions)
                for pk in value
            ]
        ).values_list("pk", "name")
    )
    structure = engine.Structure.of(questions)
    evaluation = engine.evaluate(structure, answers)
    repeats = {}
    for code, repeat in answers:
        repeats.setdefault(code, []).append(repeat)
    rows = []
    for question in questions:
        if question.type in Question.METADATA_TYPES or question.type == Question.Type.NOTE:
            continue
        chain = structure.repeats_of.get(question.code, [])
        keys = sorted(repeats.get(question.code, []), key=engine.path_of) if chain else [""]
        if not keys:
            rows.append((question, "", None, "empty"))
        for repeat in keys:
            value = answers.get((question.code, repeat))
            shown = values.display(question, value, actor_names=actor_names)
            reason = (
                ""
                if shown is not None
                else ("hidden" if (question.code, repeat) not in evaluation.relevant else "empty")
            )
            rows.append((question, repeat, shown, reason))
    return rows


def interview_detail(request, pk):
    require_perm(request.user, "surveys.view_interview")
    interview = get_object_or_404(
        selectors.visible_interviews(request.user).select_related(
            "version__questionnaire", "cluster", "actor", "interviewer", "reviewed_by"
        ),
        pk=pk,
    )
    questions = selectors.form_questions(interview.version, interview.language or None)
    answers = services.interview_answers(interview, questions)
    can_review = interview.status == Interview.Status.SUBMITTED and request.user.has_perm("surveys.review_interview")
    return render(
        request,
        "surveys/interview_detail.html",
        {
            "interview": interview,
            "rows": _display_rows(interview, questions, answers),
            "can_edit": can_edit_interview(request.user, interview),
            "review_form": ReviewForm() if can_review else None,
            "changes": interview_history(interview, questions),
            "attachments": interview.attachments.select_related("question"),
            "ties": interview.relationships.select_related("source", "target"),
            "duration_text": format_duration(interview.duration),
        },
    )


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
