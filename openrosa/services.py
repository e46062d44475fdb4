"""Writes of the field-device door: device tokens, and receiving a device's submission into the database.

A submission takes one path in: its raw XML and every file are stored first (``submission_receive``,
committed on their own), then read and saved through the web form's services (``submission_map``:
``surveys.services.interview_save`` and ``attachment_add``), so the same validation, skip logic,
review workflow, network ties and history apply. What cannot be mapped stays stored with its reason
("con observaciones"); where an interview could be made with what maps, it is made and flagged.
"""

import datetime
import hashlib
import logging
import uuid
from contextlib import ExitStack
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clusters.access import visible_clusters
from clusters.concurrency import ConcurrentEdit
from clusters.models import Actor
from openrosa import instances, xforms
from openrosa.auth import new_token
from openrosa.models import DeviceToken, Submission, SubmissionFile, token_digest
from openrosa.selectors import records_interviews
from surveys import engine
from surveys.models import Interview, QuestionnaireVersion
from surveys.selectors import form_questions
from surveys.services import attachment_add, interview_save
from surveys.services.interviews import answer_key

logger = logging.getLogger(__name__)
S = Submission.State
# A device's "last submission" is refreshed at most this often (one write less per post in a burst).
LAST_USED_EVERY = datetime.timedelta(minutes=5)

# --- Device tokens ----------------------------------------------------------------------------------


@transaction.atomic
def device_token_create(*, user, name):
    """A new device token for ``user``: returns (the row, the token itself, which is never stored)."""
    token = new_token()
    device = DeviceToken(user=user, name=name.strip()[:100], key_digest=token_digest(token), prefix=token[:6])
    device.full_clean()
    device.save()
    return device, token


@transaction.atomic
def device_token_revoke(*, device, revoked_by):
    """Revoke a device token: from now on it signs nothing in (revoking twice changes nothing)."""
    device = DeviceToken.objects.select_for_update().get(pk=device.pk)
    if device.revoked_at is None:
        device.revoked_at = timezone.now()
        device.revoked_by = revoked_by
        device.save(update_fields=["revoked_at", "revoked_by"])
    return device


# --- Receiving ----------------------------------------------------------------------------------------


@dataclass
class Receipt:
    """What the device is told: an HTTP status and a message in the user's language."""

    status: int
    message: str
    submission: Submission | None = None


def _store_files(submission, uploads):
    """Store the posted files not stored yet (a resend or a later part repeats some); returns how many."""
    if not uploads:
        return 0
    known = set(submission.files.values_list("name", flat=True))
    added = 0
    for upload in uploads:
        name = (upload.name or "archivo")[:255]
        if name in known:
            continue
        stored = SubmissionFile(
            submission=submission, name=name, size=upload.size, content_type=(upload.content_type or "")[:100]
        )
        # Saved through the storage in chunks: a large photo never sits in memory whole.
        stored.file.save(name, upload, save=False)
        stored.save()
        known.add(name)
        added += 1
    return added


def _message(submission):
    if submission.state == S.INCOMPLETE:
        return _("Part of the submission received; waiting for the rest of its files.")
    if submission.state == S.MAPPED:
        return _("Interview received: it is now waiting for review.")
    return _("Received with observations: your coordinator will review it. Nothing you sent was lost.")


def submission_receive(*, user, device, xml_file, uploads, incomplete=False, device_id=""):
    """Store what a device posted (XML and files) and, once complete, map it into an interview.

    A resend of an instance already received (same instanceID, identical XML) creates nothing new, as
    ODK Central answers it (central-backend lib/resources/submissions.js: an identical resend only adds
    the files it lacks, and is answered 201); the same instanceID with different XML is refused with
    409, as Central's ``xmlConflict``. Posts marked ``*isIncomplete*`` are parts of a split submission:
    stored, and mapped when the last part arrives.
    """
    xml = xml_file.read(instances.MAX_XML_BYTES + 1)
    sha = hashlib.sha256(xml).hexdigest()
    unreadable = ""
    try:
        envelope = instances.read_envelope(xml)
    except instances.InstanceError as error:
        # Kept all the same, with the reason, so that the coordinator sees what arrived.
        envelope, unreadable = None, str(error)
    instance_id = envelope.instance_id if envelope else f"sha256:{sha}"
    refusal = None
    with transaction.atomic():
        extant = (
            Submission.objects.select_for_update().filter(instance_id=instance_id).exclude(state=S.REJECTED).first()
        )
        if extant is not None:
            receipt, submission = _resend(extant, user=user, sha=sha, uploads=uploads, incomplete=incomplete)
        else:
            receipt = None
            refusal = _edit_refusal(envelope, user) if envelope and envelope.deprecated_id else None
            submission = Submission(
                instance_id=instance_id,
                deprecated_id=envelope.deprecated_id if envelope else "",
                form_id=(envelope.form_id if envelope else "")[:255],
                form_version=(envelope.version if envelope else "")[:255],
                xml=xml,
                xml_sha256=sha,
                user=user,
                device_token=device,
                device_id=device_id[:255],
                state=S.INCOMPLETE if incomplete else S.RECEIVED,
                reason=unreadable,
            )
            if refusal is not None:
                submission.state, submission.reason = S.REJECTED, refusal
            elif unreadable and not incomplete:
                submission.state, submission.completed_at = S.OBSERVATIONS, timezone.now()
            submission.save()
            submission.has_files = _store_files(submission, uploads) > 0
        now = timezone.now()
        if device is not None and (device.last_used_at is None or now - device.last_used_at > LAST_USED_EVERY):
            DeviceToken.objects.filter(pk=device.pk).update(last_used_at=now)
    if receipt is not None:
        return receipt
    if refusal is not None:
        return Receipt(409, refusal, submission)
    if submission.state == S.RECEIVED:
        # The raw submission is committed: whatever happens while mapping it, it is not lost.
        submission_map(submission=submission)
    return Receipt(201, _message(submission), submission)


def _resend(extant, *, user, sha, uploads, incomplete):
    """A post of an instance already stored: a resend, or the next part of a split submission.
    Returns (the receipt, or None when the submission is now complete and must be mapped; the submission)."""
    if extant.xml_sha256 != sha or extant.user_id != user.pk:
        message = _(
            "A submission with this instanceID was already received, with different content. "
            "To add files, send the same form again unchanged."
        )
        return Receipt(409, message, extant), extant
    added = _store_files(extant, uploads)
    if extant.state == S.INCOMPLETE:
        if incomplete:
            return Receipt(201, _message(extant), extant), extant
        if extant.reason:  # unreadable XML: complete now, and kept with its observation
            extant.state, extant.completed_at = S.OBSERVATIONS, timezone.now()
            extant.save(update_fields=["state", "completed_at"])
            return Receipt(201, _message(extant), extant), extant
        extant.state = S.RECEIVED
        extant.save(update_fields=["state"])
        return None, extant
    if added and extant.interview_id is not None:
        note = _("%(count)s file(s) arrived after the interview was recorded; they are kept with the submission.") % {
            "count": added
        }
        _observe(extant, [("", note)])
        return Receipt(201, _("This submission had already been received; the new files were kept."), extant), extant
    return Receipt(201, _("This submission had already been received; nothing new was created."), extant), extant


def _edit_refusal(envelope, user):
    """Why an edit (deprecatedID) cannot replace its interview, or None when it may (or is taken as new)."""
    original = _original_of(envelope.deprecated_id)
    if original is None:
        return None  # the original never arrived (or made no interview): the edit is taken as a new one
    if original.user_id != user.pk:
        return _("This edit replaces a submission that another person sent: it was not applied.")
    if not original.interview.is_editable:
        return _(
            "This interview was already submitted for review and can no longer change. Ask your coordinator to "
            "return it for correction, then send the edit again."
        )
    return None


def _original_of(instance_id):
    return (
        Submission.objects.filter(instance_id=instance_id, interview__isnull=False)
        .exclude(state=S.REJECTED)
        .select_related("interview")
        .first()
    )


# --- Mapping ------------------------------------------------------------------------------------------


def _problem_text(problems):
    return "\n".join(f"{what}: {message}" if what else message for what, message in problems)


def _observe(submission, problems, *, interview_id=None):
    """Record problems on the submission (and on its interview): it is listed "con observaciones"."""
    text = _problem_text(problems)
    reason = f"{submission.reason}\n{text}".strip() if submission.reason else text
    Submission.objects.filter(pk=submission.pk).update(state=S.OBSERVATIONS, reason=reason, completed_at=timezone.now())
    submission.state, submission.reason = S.OBSERVATIONS, reason
    interview_id = interview_id or submission.interview_id
    if interview_id:
        interview = Interview.objects.filter(pk=interview_id).values_list("observations", flat=True).first() or ""
        Interview.objects.filter(pk=interview_id).update(observations=f"{interview}\n{text}".strip())


def _find_version(submission):
    questionnaire = xforms.parse_form_id(submission.form_id)
    number = xforms.parse_version(submission.form_version)
    if questionnaire is None or number is None:
        return None
    return (
        QuestionnaireVersion.objects.select_related("questionnaire")
        .filter(questionnaire_id=questionnaire, number=number)
        .first()
    )


def submission_map(*, submission):
    """Read a stored, complete submission and save it as an interview through the web form's services.

    Never raises for what a device sent: whatever cannot be mapped is recorded on the submission (and
    its interview, if one could be made) as an observation.
    """
    try:
        problems, interview = _map(submission)
    except Exception:  # a bug must not lose the submission nor make the device resend forever
        logger.exception("Submission %s could not be mapped", submission.pk)
        problems = [("", _("An unexpected error stopped the recording; the submission is kept as it arrived."))]
        interview = None
    submission.interview = interview
    if problems:
        text = _problem_text(problems)
        submission.reason = f"{submission.reason}\n{text}".strip() if submission.reason else text
        submission.state = S.OBSERVATIONS
        if interview is not None:
            Interview.objects.filter(pk=interview.pk).update(observations=text)
            interview.observations = text
    else:
        submission.state = S.MAPPED
    submission.completed_at = timezone.now()
    # One write records the outcome: the version found, the interview made, the state and its reason.
    Submission.objects.filter(pk=submission.pk).update(
        version=submission.version,
        interview=interview,
        state=submission.state,
        reason=submission.reason,
        completed_at=submission.completed_at,
    )
    return submission


def _map(submission):
    """(problems, interview or None) of mapping one submission."""
    user = submission.user
    envelope = instances.read_envelope(bytes(submission.xml))
    version = _find_version(submission)
    if version is None:
        return [("", _("The form '%(form)s' version '%(version)s' is not known here.") % {
            "form": submission.form_id[:100], "version": submission.form_version[:50]})], None  # fmt: skip
    submission.version = version
    if version.status != QuestionnaireVersion.Status.PUBLISHED:
        return [("", _("Version %(number)s of '%(name)s' is no longer in use: the device had an older form. "
                       "Update the forms on the device (Collect: Get blank form).")
                 % {"number": version.number, "name": version.questionnaire.name})], None  # fmt: skip
    if not user.is_active or not records_interviews(user):
        return [("", _("%(user)s may not record interviews.") % {"user": user.get_username()})], None
    structure = engine.Structure.of(form_questions(version))
    mapped = instances.map_instance(envelope, structure)
    problems = list(mapped.problems)
    cluster = (
        visible_clusters(user).filter(pk=int(mapped.cluster_ref)).first() if mapped.cluster_ref.isdigit() else None
    )
    if cluster is None:
        problems.append(("cluster", _("The cluster '%(cluster)s' is not one of yours.") % {
            "cluster": mapped.cluster_ref[:50]}))  # fmt: skip
        return problems, None
    actor = None
    if mapped.new_actor is None:
        actor = Actor.objects.filter(pk=int(mapped.actor_ref)).first() if mapped.actor_ref.isdigit() else None
        if actor is None:
            problems.append(("actor", _("The actor '%(actor)s' is not in the registry.") % {
                "actor": mapped.actor_ref[:50]}))  # fmt: skip
            return problems, None
    if "date" not in mapped.details:
        return problems, None
    target_uuid, expected = envelope.interview_uuid, None
    if submission.deprecated_id:
        original = _original_of(submission.deprecated_id)
        if original is not None:
            target_uuid, expected = original.interview.uuid, original.interview.lock_version
    files = list(submission.files.all()) if getattr(submission, "has_files", True) else []
    by_name = {stored.name: stored for stored in files}
    # Files that answer photo, audio, video or file questions go to their question; the rest to the interview.
    question_files = {key: by_name[name] for key, name in mapped.question_files.items() if name in by_name}
    for key, name in mapped.question_files.items():
        if name not in by_name:
            problems.append((answer_key(*key), _("The file %(name)s did not arrive with the form.") % {"name": name}))
            mapped.answers.pop(key, None)
    files = [stored for stored in files if stored not in question_files.values()]
    # The same token for both saves of one submission: the second is the same edit, not a concurrent one.
    token = uuid.uuid5(uuid.NAMESPACE_URL, f"openrosa-submission:{submission.pk}")
    answers = dict(mapped.answers)
    saved = None
    for _attempt in range(3):
        try:
            saved = _save(submission, user, target_uuid, version, cluster, mapped, answers, actor, expected, token,
                          structure, files, question_files, problems)  # fmt: skip
            break
        except ValidationError as error:
            refused = _answer_errors(error, answers)
            if not refused:
                problems += _errors(error)
                return problems, None
            problems += [(answer_key(*key), message) for key, message in refused]
            for key, _message_text in refused:
                answers.pop(key, None)
                question_files.pop(key, None)
        except (PermissionDenied, ConcurrentEdit):
            problems.append(("", _("The interview this edit replaces belongs to someone else or changed meanwhile.")))
            return problems, None
    if saved is None:
        return problems, None
    problems += [(code, str(message)) for code, message in saved.problems.items()]
    return problems, saved.interview


def _save(submission, user, target_uuid, version, cluster, mapped, answers, actor, expected, token, structure,
          files, question_files, problems):  # fmt: skip
    """interview_save (itself one transaction: a refusal leaves nothing behind), with the files that answer
    questions bound to them; with files of the interview itself, the interview is saved, given them while
    still editable, and then submitted, all in one transaction."""
    with ExitStack() as stack:
        uploads = {
            key: File(stack.enter_context(stored.file.open("rb")), name=stored.name)
            for key, stored in question_files.items()
        }
        return _save_with(submission, user, target_uuid, version, cluster, mapped, answers, actor, expected, token,
                          structure, files, uploads, problems)  # fmt: skip


def _save_with(submission, user, target_uuid, version, cluster, mapped, answers, actor, expected, token, structure,
               files, uploads, problems):  # fmt: skip
    arguments = {
        "user": user,
        "uuid": target_uuid,
        "version": version,
        "cluster": cluster,
        "details": mapped.details,
        "answers": answers,
        "form_token": token,
        "structure": structure,
        "counts": mapped.counts,
        "files": uploads,
        "device": mapped.metadata.get("deviceid") or "device",
    }
    if not files:
        return interview_save(
            **arguments, actor=actor, new_actor=mapped.new_actor, submit=True, expected_lock_version=expected
        )
    with transaction.atomic():
        saved = interview_save(
            **arguments, actor=actor, new_actor=mapped.new_actor, submit=False, expected_lock_version=expected
        )
        problems += _attach(saved.interview, files, user)
        return interview_save(**{**arguments, "files": {}}, submit=True)


def _answer_errors(error, answers):
    """The ((code, repeat), message) pairs of a ValidationError that name answers (which are then left out)."""
    if not hasattr(error, "error_dict"):
        return []
    refused = []
    for name, messages in error.message_dict.items():
        code, _sep, repeat = name.partition("__")
        if (code, repeat) in answers:
            refused.append(((code, repeat), "; ".join(messages)))
    return refused


def _errors(error):
    if hasattr(error, "error_dict"):
        return [(code, "; ".join(messages)) for code, messages in error.message_dict.items()]
    return [("", "; ".join(error.messages))]


def _attach(interview, files, user):
    """Attach the submission's files to its interview through attachment_add; problems for those refused."""
    problems = []
    for stored in files:
        try:
            with stored.file.open("rb") as handle, transaction.atomic():
                attachment = attachment_add(
                    interview=interview, uploaded_file=File(handle, name=stored.name), uploaded_by=user
                )
        except ValidationError as error:
            problems.append((stored.name, "; ".join(error.messages)))
            continue
        SubmissionFile.objects.filter(pk=stored.pk).update(attachment=attachment)
    return problems
