"""A questionnaire version as the XForm that ODK Collect, KoboCollect and Enketo fill, and its media files.

``version_xform`` is the one place an XForm is made: the version's XLSForm export (surveys.xlsform's
``write_xlsform`` of ``version_form_spec``, the very file a coordinator downloads) is read back by
pyxform, the interview's details and the registry are put in front of its questions, and pyxform
converts it. Every page and endpoint that needs a version's XForm calls it.

What the device form adds to the questionnaire (the casebook- names are the site's own, which question codes
never take; a detail whose name the questionnaire also uses, as an imported form may, takes that prefix too:
``registry_name``):

    casebook-start, -end, -today, -deviceid, -username   metadata the device records by itself
    casebook-interview/                                   the interview's details (surveys DETAIL_FIELDS)
        casebook-cluster    select_one_from_file clusters.csv (her visible clusters)
        casebook-actor      select_one_from_file actors.csv, choice_filter on the cluster, plus a
                            "new actor" choice that opens new-actor-name / -kind / -ruc
        respondent-name, respondent-position, interview-date (today by default), interview-place,
        interview-mode, duration-minutes, consent-given, interview-notes, interview-photo
    meta/instanceID, meta/instanceName                    (pyxform)

Actor-relationship questions (select_multiple_from_file actors.csv) get a choice_filter so that they
list the chosen cluster's other actors. The media CSVs are made per user (``media_files``): their
hash in the manifest changes when her clusters or their actors change, and Collect fetches them again.
"""

import csv
import functools
import hashlib
import io
import json
import logging
from dataclasses import dataclass

from django.core.cache import cache
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from pyxform.xls2json_backends import xlsx_to_dict
from pyxform.xls2xform import convert

from clusters.access import visible_clusters
from clusters.models import Actor, Membership
from surveys.languages import ENGLISH, SPANISH
from surveys.models import Interview, QuestionnaireVersion
from surveys.selectors import version_form_spec
from surveys.xlsform import ACTORS_FILE, write_xlsform

logger = logging.getLogger(__name__)

# Bump when the generator changes what it writes: every version's form then gets a new version string.
REVISION = "1"
CLUSTERS_FILE = "clusters.csv"
MEDIA_FILES = (CLUSTERS_FILE, ACTORS_FILE)
NEW_ACTOR = "new"
# The prefix of the names the device form adds (question codes never take it).
SITE_PREFIX = "casebook-"
REGISTRY_GROUP = f"{SITE_PREFIX}interview"
# The root element of the device form (pyxform's form_name).
FORM_NAME = "data"
CLUSTER_FIELD = f"{SITE_PREFIX}cluster"
ACTOR_FIELD = f"{SITE_PREFIX}actor"
NEW_ACTOR_FIELDS = {"new-actor-name": "name", "new-actor-kind": "kind", "new-actor-ruc": "ruc"}
PHOTO_FIELD = "interview-photo"
# Element of the device form -> Interview field (surveys.services.DETAIL_FIELDS).
DETAIL_ELEMENTS = {
    "respondent-name": "respondent_name",
    "respondent-position": "respondent_position",
    "interview-date": "date",
    "interview-place": "place",
    "interview-mode": "mode",
    "duration-minutes": "duration",
    "consent-given": "consent_given",
    "interview-notes": "notes",
}
METADATA = ("start", "end", "today", "deviceid", "username")
LABEL_ES, LABEL_EN = f"label::{SPANISH}", f"label::{ENGLISH}"
KIND_LIST, MODE_LIST, YES_NO_LIST = "casebook-actor-kind", "casebook-mode", "casebook-yes-no"
# Settings an imported XLSForm may carry (KoBoToolbox and ODK Central write them) that the site's device form
# cannot keep: a submission_url sends the answers to another server, a public_key encrypts them where the site
# cannot read them, and omit_instanceID leaves out the instance ID every submission needs. The XLSForm download
# keeps them; the device form leaves them out (pyxform reads settings headers in any case).
DEVICE_OMITTED_SETTINGS = frozenset({"submission_url", "public_key", "omit_instanceid"})


# SUNAT's check of a RUC (clusters.validators.validate_ruc, with python-stdnum) in ODK's XPath, so that the
# device refuses a mistyped RUC before the server would: the prefix, then the check digit, which is
# (11 - (the first ten digits weighted 5 4 3 2 7 6 5 4 3 2, summed) mod 11) mod 10.
RUC_WEIGHTS = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
RUC_CONSTRAINT = (
    "regex(., '^(10|15|17|20)[0-9]{9}$') and (11 - ("
    + " + ".join(f"substr(., {i}, {i + 1}) * {weight}" for i, weight in enumerate(RUC_WEIGHTS))
    + ") mod 11) mod 10 = number(substr(., 10, 11))"
)


class XFormUnavailable(Exception):
    """pyxform could not make this version's XForm (the reason is in the message)."""


@dataclass(frozen=True)
class XForm:
    """A version's XForm as served: the bytes, their md5 (the form list's hash) and its identity."""

    form_id: str
    version: str
    title: str
    xml: bytes
    md5: str
    media: tuple = MEDIA_FILES


def xform_id(version) -> str:
    """The XForm's formID: the questionnaire's form id, made unique by its number (read back by ``parse_form_id``)."""
    return f"{version.form_id or 'questionnaire'}-{version.questionnaire_id}"


def parse_form_id(form_id: str):
    """The questionnaire pk in a formID made by ``xform_id``, or None."""
    _, _, tail = (form_id or "").rpartition("-")
    return int(tail) if tail.isdigit() else None


def parse_version(text: str):
    """The version number in an XForm version string "<number>.<digest>", or None."""
    head = (text or "").split(".", 1)[0]
    return int(head) if head.isdigit() else None


def _both(message):
    """{label::Español (es): ..., label::English (en): ...} of a lazy message, in both languages."""
    labels = {}
    for language, column in (("es", LABEL_ES), ("en", LABEL_EN)):
        with translation.override(language):
            labels[column] = str(message)
    return labels


def _column(name, message):
    labels = _both(message)
    return {f"{name}::{SPANISH}": labels[LABEL_ES], f"{name}::{ENGLISH}": labels[LABEL_EN]}


def _hints(message):
    return _column("hint", message)


def metadata_name(name):
    """The device form's element for one of METADATA (start, end, deviceid …): under the site's prefix."""
    return f"{SITE_PREFIX}{name}"


@functools.cache
def _registry():
    """(survey rows, choice rows) of the device form's additions, in Spanish and English (made once)."""
    new = f"${{{ACTOR_FIELD}}} = '{NEW_ACTOR}'"
    rows = [{"type": name, "name": metadata_name(name)} for name in METADATA]
    rows += [
        {"type": "begin group", "name": REGISTRY_GROUP, **_both(_("Interview"))},
        {"type": f"select_one_from_file {CLUSTERS_FILE}", "name": CLUSTER_FIELD, "required": "yes",
         **_both(_("Cluster"))},
        {"type": f"select_one_from_file {ACTORS_FILE}", "name": ACTOR_FIELD, "required": "yes",
         "choice_filter": f"cluster=${{{CLUSTER_FIELD}}}", **_both(_("Actor interviewed")),
         **_hints(_("If the actor is not on the list, choose the last option to propose a new one."))},
        {"type": "text", "name": "new-actor-name", "required": "yes", "relevant": new,
         **_both(_("Name of the new actor"))},
        {"type": f"select_one {KIND_LIST}", "name": "new-actor-kind", "required": "yes", "relevant": new,
         **_both(_("Kind"))},
        {"type": "text", "name": "new-actor-ruc", "relevant": new, "constraint": RUC_CONSTRAINT,
         **_column("constraint_message", _("The RUC has 11 digits, starts with 10, 15, 17 or 20 and ends with "
                                           "its check digit.")),
         **_both(_("RUC (optional)"))},
        {"type": "text", "name": "respondent-name", **_both(_("Respondent"))},
        {"type": "text", "name": "respondent-position", **_both(_("Respondent's position"))},
        {"type": "date", "name": "interview-date", "required": "yes", "default": "today()", **_both(_("Date"))},
        {"type": "text", "name": "interview-place", **_both(_("Place"))},
        {"type": f"select_one {MODE_LIST}", "name": "interview-mode", "required": "yes", "default": "in_person",
         **_both(_("Mode"))},
        {"type": "integer", "name": "duration-minutes", "constraint": ". >= 0 and . <= 1440",
         **_both(_("Duration (minutes)"))},
        {"type": f"select_one {YES_NO_LIST}", "name": "consent-given", "required": "yes",
         **_both(_("Consent given")), **_hints(_("The respondent's consent is needed to submit the interview."))},
        {"type": "text", "name": "interview-notes", "appearance": "multiline", **_both(_("Notes or transcript"))},
        {"type": "image", "name": PHOTO_FIELD, **_both(_("Photo (optional)"))},
        {"type": "end group"},
    ]  # fmt: skip
    choices = []
    for language_rows, list_name in (
        (Actor.Kind.choices, KIND_LIST),
        (Interview.Mode.choices, MODE_LIST),
        ((("yes", _("Yes")), ("no", _("No"))), YES_NO_LIST),
    ):
        for value, label in language_rows:
            choices.append({"list_name": list_name, "name": value, **_both(label)})
    return rows, choices


def _registry_digest():
    rows, choices = _registry()
    return hashlib.sha256(json.dumps([REVISION, rows, choices], sort_keys=True).encode()).hexdigest()[:12]


def registry_name(name: str, taken) -> str:
    """The name of the registry's element ``name`` in a device form whose questionnaire already has an element of
    that name (an imported form's names may have hyphens: respondent-name, consent-given …): it takes the site's
    prefix, which questionnaire names never have, so that a ${name} of the questionnaire names one element
    (pyxform refuses it otherwise). openrosa.instances reads the details under either name."""
    return f"{SITE_PREFIX}{name}" if name in taken else name


def xform_source(version) -> dict:
    """The pyxform workbook (a dict, as pyxform reads an .xlsx) of a version's device form, without its
    version string: the questionnaire's XLSForm export with the registry in front (see the module)."""
    spec = version_form_spec(version)
    workbook = xlsx_to_dict(io.BytesIO(write_xlsform(spec)))
    taken = {item.code for item in spec.items}
    rows, choices = _registry()
    for row in workbook["survey"]:
        if row.get("type", "").strip() == f"select_multiple_from_file {ACTORS_FILE}":
            row["choice_filter"] = (
                f"cluster=${{{CLUSTER_FIELD}}} and name != ${{{ACTOR_FIELD}}} and name != '{NEW_ACTOR}'"
            )
    rows = [{**row, "name": registry_name(row["name"], taken)} if "name" in row else dict(row) for row in rows]
    workbook["survey"] = rows + workbook["survey"]
    workbook["choices"] = workbook.get("choices", []) + [dict(row) for row in choices]
    settings_row = dict(workbook["settings"][0]) if workbook.get("settings") else {}
    settings_row = {
        key: value
        for key, value in settings_row.items()
        if "_".join(key.lower().split()) not in DEVICE_OMITTED_SETTINGS
    }
    settings_row["form_id"] = xform_id(version)
    settings_row["form_title"] = version.questionnaire.name
    # By path, not ${name}: the registry's details are in its group whatever the questionnaire's names.
    registry = f"/{FORM_NAME}/{REGISTRY_GROUP}"
    name, date = (registry_name(element, taken) for element in ("respondent-name", "interview-date"))
    settings_row["instance_name"] = f"concat({registry}/{name}, ' · ', {registry}/{date})"
    settings_row.pop("version", None)
    workbook["settings"] = [settings_row]
    if "choices" not in workbook["sheet_names"]:
        workbook["sheet_names"].append("choices")
    for key in [key for key in workbook if key.endswith("_header")]:
        del workbook[key]
    return workbook


def _convert(workbook, *, validate=False):
    # Each sheet's header is every column of its rows: pyxform reads a sheet's columns from its header (or,
    # without one, from its first row), and the registry's rows bring columns the questionnaire may lack
    # (a questionnaire written with a plain "label" gets the registry's label::Español (es) beside it).
    for sheet in ("survey", "choices", "settings"):
        workbook[f"{sheet}_header"] = [{column: None for row in workbook[sheet] for column in row}]
    try:
        return convert(workbook, form_name=FORM_NAME, validate=validate).xform.encode()
    except Exception as error:  # pyxform's own checks: the message says what and where
        raise XFormUnavailable(str(error)) from error


def version_xform(version) -> XForm:
    """The XForm of a questionnaire version (cached: published versions never change)."""
    key = f"openrosa:xform:{version.pk}:{_registry_digest()}"
    cached = cache.get(key) if version.status != QuestionnaireVersion.Status.DRAFT else None
    if cached is not None:
        return cached
    workbook = xform_source(version)
    digest = hashlib.sha256(json.dumps([REVISION, workbook], sort_keys=True, default=str).encode()).hexdigest()
    version_text = f"{version.number}.{digest[:10]}"
    workbook["settings"][0]["version"] = version_text
    xml = _convert(workbook)
    document = XForm(
        form_id=xform_id(version),
        version=version_text,
        title=version.questionnaire.name,
        xml=xml,
        md5=hashlib.md5(xml, usedforsecurity=False).hexdigest(),
    )
    if version.status != QuestionnaireVersion.Status.DRAFT:
        cache.set(key, document, 24 * 60 * 60)
    return document


def validate_xform(version):
    """Convert the version's device form with ODK Validate (needs Java); raises XFormUnavailable."""
    workbook = xform_source(version)
    workbook["settings"][0]["version"] = "0"
    _convert(workbook, validate=True)


# --- Media files ------------------------------------------------------------------------------------


def _csv(rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def media_files(user) -> dict:
    """{file name: bytes} of the CSVs the device form reads, for this user's visible clusters (two queries)."""
    clusters = list(visible_clusters(user).order_by("name", "pk").values_list("pk", "name"))
    members = (
        Membership.objects.filter(cluster__in=visible_clusters(user))
        .order_by("cluster_id", "actor__name", "actor_id")
        .values_list("actor_id", "actor__name", "cluster_id")
    )
    # No leading "+": ODK Web Forms and Enketo read labels as Markdown, where "+ " starts a bulleted list.
    new_label = gettext("A new actor (not on the list)")
    actors = [("name", "label", "cluster")]
    actors += list(members)
    actors += [(NEW_ACTOR, new_label, pk) for pk, _name in clusters]
    return {CLUSTERS_FILE: _csv([("name", "label"), *clusters]), ACTORS_FILE: _csv(actors)}


def md5_hex(data: bytes) -> str:
    return hashlib.md5(data, usedforsecurity=False).hexdigest()
