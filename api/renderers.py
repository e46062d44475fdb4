from rest_framework import renderers


class BrowsableAPIRenderer(renderers.BrowsableAPIRenderer):
    """The browsable API without its HTML forms: they would list related objects in select boxes
    (a query each, and choices beyond what the reader may see). The raw JSON form stays."""

    def get_rendered_html_form(self, data, view, method, request):
        return None

    def get_filter_form(self, data, view, request):
        return None
