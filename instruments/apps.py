from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _after_migrate(sender, using="default", **kwargs):
    """Keep the OECD catalogue in place after every migrate or test flush (a flush empties the tables)."""
    from instruments.catalogue import load_catalogue
    from instruments.models import Goal, InstrumentType

    if sender.name == "instruments" and not Goal.objects.using(using).filter(code="identify-clusters").exists():
        load_catalogue(Goal, InstrumentType)


class InstrumentsConfig(AppConfig):
    name = "instruments"
    verbose_name = _("Support instruments")

    def ready(self):
        post_migrate.connect(_after_migrate, dispatch_uid="casebook_instruments_catalogue")
