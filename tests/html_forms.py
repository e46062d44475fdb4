"""Reading a page's POST forms the way a browser would submit them, for tests that post real forms."""

from html.parser import HTMLParser


class PostForms(HTMLParser):
    """Collects the POST forms of a page: action and fields (name, kind, a valid default)."""

    def __init__(self):
        super().__init__()
        self.forms = []
        self._form = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("method", "get").lower() == "post":
            self._form = {"action": attrs.get("action") or "", "fields": {}, "enctype": attrs.get("enctype", "")}
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input" and attrs.get("name"):
            kind = attrs.get("type", "text").lower()
            name = attrs["name"]
            if kind in ("checkbox", "radio"):
                self._form["fields"].setdefault(name, ("choice", attrs.get("value", "on")))
            elif kind in ("submit", "button", "image", "reset"):
                return
            else:
                self._form["fields"][name] = (kind, attrs.get("value", ""))
        elif tag == "textarea" and attrs.get("name"):
            self._form["fields"][attrs["name"]] = ("textarea", "")
        elif tag == "select" and attrs.get("name"):
            self._select = attrs["name"]
            self._form["fields"][self._select] = ("choice", "")
        elif tag == "option" and self._select:
            kind, current = self._form["fields"][self._select]
            if not current and attrs.get("value"):
                self._form["fields"][self._select] = ("choice", attrs["value"])

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def form_data(html, *, with_field):
    """The default values of the page's POST form that has a field named ``with_field``.

    Selects take their first real option; checkboxes and radios are taken as checked (set them yourself).
    """
    parser = PostForms()
    parser.feed(html)
    form = next(form for form in parser.forms if with_field in form["fields"])
    return {name: value for name, (_kind, value) in form["fields"].items()}
