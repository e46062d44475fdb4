"""Field devices: a published questionnaire, its XForm, and a device that fills and posts it as Collect does."""

import base64
import copy
import uuid

import pytest
from defusedxml import ElementTree as SafeTree
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from openrosa import xforms
from openrosa.instances import local
from openrosa.services import device_token_create
from tests.factories import PASSWORD
from tests.surveys.conftest import build_questionnaire

XFORMS = "{http://www.w3.org/2002/xforms}"
# What a device answers to the questionnaire of tests.surveys.conftest.build_questionnaire.
DEVICE_ANSWERS = {
    "empleados": "45",
    "tamano": "pequena",
    "exporta": "yes",
    "mercados": "usa ue",
    "participacion_usa": "30.5",
    "confianza": "4",
    "inicio": "2010-03-01",
    "barreras": "Falta de financiamiento",
    "comentario": "Buena experiencia",
}
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 200 + b"\xff\xd9"


@pytest.fixture
def questionnaire(world):
    return build_questionnaire(world.users["coordinator"])


@pytest.fixture
def device(world):
    """researcher_a's device token: (the row, the token)."""
    return device_token_create(user=world.users["researcher_a"], name="Tableta de campo")


def blank_instance(version):
    """The primary instance of the version's XForm, as a device starts filling it (an Element)."""
    form = SafeTree.fromstring(xforms.version_xform(version).xml)
    data = form.find(f".//{XFORMS}model/{XFORMS}instance")[0]
    return copy.deepcopy(data)


def fill(version, cluster, actor, *, answers=None, details=None, instance_id=None, deprecated_id="", drop_ns=True):
    """The XML a device sends for this version: registry, details and answers filled in by element name."""
    data = blank_instance(version)
    values = {
        xforms.CLUSTER_FIELD: str(cluster.pk),
        xforms.ACTOR_FIELD: str(actor.pk) if actor is not None else xforms.NEW_ACTOR,
        "respondent-name": "Rosa Mamani",
        "respondent-position": "Gerente",
        "interview-date": "2025-06-10",
        "interview-place": "Juliaca",
        "interview-mode": "in_person",
        "duration-minutes": "90",
        "consent-given": "yes",
        "casebook-start": "2025-06-10T09:00:00.000-05:00",
        "casebook-end": "2025-06-10T10:30:00.000-05:00",
        "casebook-today": "2025-06-10",
        "casebook-deviceid": "collect:abc123",
        "casebook-username": "researcher_a",
        "instanceID": instance_id or f"uuid:{uuid.uuid4()}",
        **(DEVICE_ANSWERS if answers is None else answers),
        **(details or {}),
    }
    for element in data.iter():
        name = local(element.tag)
        if name in values:
            element.text = values[name]
    if deprecated_id:
        meta = next(child for child in data if local(child.tag) == "meta")
        from xml.etree import ElementTree

        ElementTree.SubElement(meta, f"{XFORMS}deprecatedID" if not drop_ns else "deprecatedID").text = deprecated_id
    from xml.etree import ElementTree

    xml = ElementTree.tostring(data, encoding="unicode")
    if drop_ns:  # Collect writes the instance without the XForms namespace
        xml = (
            xml.replace(' xmlns="http://www.w3.org/2002/xforms"', "")
            .replace("ns0:", "")
            .replace(' xmlns:ns0="http://www.w3.org/2002/xforms"', "")
        )
    return xml.encode()


def instance_id_of(xml):
    root = SafeTree.fromstring(xml)
    return next(el.text for el in root.iter() if local(el.tag) == "instanceID")


def basic(user_name, password=PASSWORD):
    return "Basic " + base64.b64encode(f"{user_name}:{password}".encode()).decode()


def post(client, xml, *, token=None, files=(), incomplete=False, auth=None, secure=True):
    """POST /submission as Collect does: multipart with xml_submission_file, files named by their name."""
    url = reverse("openrosa:key_submission", kwargs={"token": token}) if token else reverse("openrosa:submission")
    data = {"xml_submission_file": SimpleUploadedFile("submission.xml", xml, content_type="text/xml")}
    for name, content, content_type in files:
        data[name] = SimpleUploadedFile(name, content, content_type=content_type)
    if incomplete:
        data["*isIncomplete*"] = "yes"
    headers = {"X-OpenRosa-Version": "1.0"}
    if auth:
        headers["Authorization"] = auth
    return client.post(url, data, headers=headers, secure=secure)


def received():
    """The submissions the test's devices sent (the world holds one of its own)."""
    from openrosa.models import Submission

    return Submission.objects.exclude(instance_id="uuid:world-submission")
