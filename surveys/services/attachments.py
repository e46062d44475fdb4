"""Writes of an interview's files: an upload checked by its content against what its question takes, the
files of media questions stored with their answers (``interview_save`` calls ``checked_files`` and
``store_files``), and the interview's own attachments added and removed."""

import os

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from surveys.engine import answer_key
from surveys.models import Attachment, InterviewChange, Question
from surveys.uploads import HEAD_BYTES, megabytes, named_for, sniff

T = Question.Type

ACCEPTED_FILES = "JPEG, PNG, WebP, MP3, OGG, M4A, WAV, WebM, PDF"
# What each media question takes, by the kind its content was sniffed as.
QUESTION_KINDS = {
    T.IMAGE: {Attachment.Kind.PHOTO},
    T.AUDIO: {Attachment.Kind.AUDIO},
    T.VIDEO: {Attachment.Kind.VIDEO},
    T.FILE: {Attachment.Kind.PHOTO, Attachment.Kind.AUDIO, Attachment.Kind.VIDEO, Attachment.Kind.PDF},
    T.AUDIT: {Attachment.Kind.DATA},
}
KIND_NAMES = {
    T.IMAGE: _("a photo (JPEG, PNG, WebP)"),
    T.AUDIO: _("an audio recording (MP3, OGG, M4A, WAV, WebM)"),
    T.VIDEO: _("a video (MP4, WebM, 3GP)"),
    T.FILE: _("a photo, an audio recording, a video or a PDF"),
    T.AUDIT: _("an audit log (CSV)"),
}


def checked_upload(uploaded_file, question=None):
    """What an uploaded file is (``uploads.Sniffed``), checked by size and by content, never by name, against
    what ``question`` (a photo, audio, video or file question) takes, or what an interview's attachments
    may be. Raises ValidationError({"file": why})."""
    limit = settings.CASEBOOK_MAX_ATTACHMENT_BYTES
    if uploaded_file.size > limit:
        raise ValidationError(
            {
                "file": _("The file is too large: %(size)s MB, at most %(limit)s MB.")
                % {"size": megabytes(uploaded_file.size), "limit": megabytes(limit)}
            }
        )
    if uploaded_file.size == 0:
        raise ValidationError({"file": _("The file is empty.")})
    uploaded_file.seek(0)
    head = uploaded_file.read(HEAD_BYTES)
    uploaded_file.seek(0)
    sniffed = sniff(
        head, name=uploaded_file.name or "", video=question is not None and question.type in (T.VIDEO, T.FILE)
    )
    if question is not None and question.type in QUESTION_KINDS:
        if sniffed is None or sniffed.kind not in QUESTION_KINDS[question.type]:
            raise ValidationError(
                {
                    "file": _("This question takes %(what)s. Its content was checked, not its name.")
                    % {"what": KIND_NAMES[question.type]}
                }
            )
        return sniffed
    if sniffed is None or sniffed.kind not in (Attachment.Kind.PHOTO, Attachment.Kind.AUDIO, Attachment.Kind.PDF):
        raise ValidationError(
            {
                "file": _(
                    "This file is not a photo, an audio recording or a PDF (accepted: %(types)s). "
                    "Its content was checked, not its name."
                )
                % {"types": ACCEPTED_FILES}
            }
        )
    return sniffed


@transaction.atomic
def attachment_add(*, interview, uploaded_file, uploaded_by, caption="", question=None, repeat="", sniffed=None):
    """Attach a file to an editable interview: a photo, audio or PDF of the interview, or the answer to a
    photo, audio, video or file question (``question`` and its ``repeat``), which replaces the one before."""
    if not interview.is_editable:
        raise ValidationError(_("This interview was submitted and can no longer be changed."))
    return _attach(
        interview=interview,
        uploaded_file=uploaded_file,
        uploaded_by=uploaded_by,
        caption=caption,
        question=question,
        repeat=repeat,
        sniffed=sniffed or checked_upload(uploaded_file, question),
    )


def _attach(*, interview, uploaded_file, uploaded_by, caption="", question=None, repeat="", sniffed):
    original = named_for(os.path.basename(uploaded_file.name or "") or "archivo", sniffed)
    replaced = []
    if question is not None:
        replaced = list(Attachment.objects.filter(interview=interview, question=question, repeat=repeat))
    attachment = Attachment(
        interview=interview,
        question=question,
        repeat=repeat,
        file=uploaded_file,
        kind=sniffed.kind,
        content_type=sniffed.content_type,
        size=uploaded_file.size,
        original_name=original,
        caption=caption.strip(),
        uploaded_by=uploaded_by,
    )
    attachment.stored_extension = sniffed.extension
    attachment.full_clean(exclude=["file", "interview", "question"])
    attachment._history_user = uploaded_by
    attachment.save()
    for old in replaced:
        _remove_file(old, uploaded_by)
    what = "attachment" if question is None else answer_key(question.code, repeat)
    InterviewChange.objects.create(
        interview=interview,
        action=InterviewChange.Action.ATTACHMENT_ADDED,
        changed_by=uploaded_by,
        changes=[[what, replaced[0].original_name if replaced else None, original]],
    )
    return attachment


def _remove_file(attachment, user):
    name, storage = attachment.file.name, attachment.file.storage
    attachment._history_user = user
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(name))


def _drop_unanswered_files(interview, structure, kept, user):
    """Files of media questions whose answer is gone (hidden by the logic, or cleared) leave with it."""
    stale = [
        attachment
        for attachment in Attachment.objects.filter(interview=interview, question__isnull=False).select_related(
            "question"
        )
        if (attachment.question.code, attachment.repeat) not in kept
    ]
    for attachment in stale:
        _remove_file(attachment, user)


@transaction.atomic
def attachment_delete(*, attachment, deleted_by):
    """Remove an attachment of an editable interview, and its file once the transaction commits."""
    interview = attachment.interview
    if not interview.is_editable:
        raise ValidationError(_("This interview was submitted and can no longer be changed."))
    name, storage = attachment.file.name, attachment.file.storage
    attachment._history_user = deleted_by
    attachment.delete()
    InterviewChange.objects.create(
        interview=interview,
        action=InterviewChange.Action.ATTACHMENT_REMOVED,
        changed_by=deleted_by,
        changes=[["attachment", attachment.original_name, None]],
    )
    transaction.on_commit(lambda: storage.delete(name))


def checked_files(structure, files):
    """{(code, repeat): (file, what it is)} for the files posted to media questions, each checked."""
    checked = {}
    for key, uploaded in files.items():
        code, repeat = key if isinstance(key, tuple) else (key, "")
        question = structure.by_code.get(code)
        if question is None or question.type not in Question.MEDIA_TYPES:
            continue
        try:
            checked[(code, repeat)] = (uploaded, checked_upload(uploaded, question))
        except ValidationError as error:
            raise ValidationError({answer_key(code, repeat): error.message_dict["file"]}) from None
    return checked


def store_files(interview, structure, uploads, kept, *, user, created):
    """The files of media questions that stay answered are attached; those of answers now gone leave."""
    for key, (uploaded, sniffed) in uploads.items():
        if key in kept:
            _attach(
                interview=interview,
                uploaded_file=uploaded,
                uploaded_by=user,
                question=structure.by_code[key[0]],
                repeat=key[1],
                sniffed=sniffed,
            )
    if not created and structure.has_media:
        _drop_unanswered_files(interview, structure, kept, user)
