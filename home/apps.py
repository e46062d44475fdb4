from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    """The top floor: each role's home page and the programme dashboard, above the four domain apps."""

    name = "home"
    verbose_name = _("Home and dashboard")
