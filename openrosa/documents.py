"""The OpenRosa documents the endpoints answer with: form list, manifest and response message.

Pure functions from values to XML bytes (ElementTree escapes every text), after the OpenRosa Form
List API, Form Submission API and the ODK XForms manifest as ODK Central writes them.
"""

from xml.etree import ElementTree

FORM_LIST_NS = "http://openrosa.org/xforms/xformsList"
MANIFEST_NS = "http://openrosa.org/xforms/xformsManifest"
RESPONSE_NS = "http://openrosa.org/http/response"


def _bytes(root):
    return ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)


def _add(parent, tag, text):
    child = ElementTree.SubElement(parent, tag)
    child.text = text
    return child


def form_list(forms):
    """``forms``: [{"form_id", "name", "version", "hash" (md5 hex), "download_url", "manifest_url"}]."""
    root = ElementTree.Element("xforms", xmlns=FORM_LIST_NS)
    for form in forms:
        item = ElementTree.SubElement(root, "xform")
        _add(item, "formID", form["form_id"])
        _add(item, "name", form["name"])
        _add(item, "version", form["version"])
        _add(item, "hash", f"md5:{form['hash']}")
        _add(item, "downloadUrl", form["download_url"])
        _add(item, "manifestUrl", form["manifest_url"])
    return _bytes(root)


def manifest(files):
    """``files``: [{"filename", "hash" (md5 hex), "download_url"}]."""
    root = ElementTree.Element("manifest", xmlns=MANIFEST_NS)
    for media in files:
        item = ElementTree.SubElement(root, "mediaFile")
        _add(item, "filename", media["filename"])
        _add(item, "hash", f"md5:{media['hash']}")
        _add(item, "downloadUrl", media["download_url"])
    return _bytes(root)


def response_message(message, nature=""):
    """An OpenRosaResponse with one message, which Collect shows to the person who sent the form."""
    root = ElementTree.Element("OpenRosaResponse", xmlns=RESPONSE_NS)
    element = _add(root, "message", message)
    if nature:
        element.set("nature", nature)
    return _bytes(root)
