"""Files of interviews: upload, download (checked on every request), removal."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clusters.access import can_edit_interview, require_perm
from surveys import selectors, services
from surveys.forms import AttachmentForm
from surveys.models import Attachment
from surveys.uploads import download_name


@require_POST
def attachment_upload(request, pk):
    require_perm(request.user, "surveys.add_attachment")
    interview = get_object_or_404(selectors.visible_interviews(request.user), pk=pk)
    if not can_edit_interview(request.user, interview):
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
    if not can_edit_interview(request.user, attachment.interview):
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
        handle, as_attachment=not inline, filename=download_name(attachment), content_type=attachment.content_type
    )
