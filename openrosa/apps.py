from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpenRosaConfig(AppConfig):
    name = "openrosa"
    verbose_name = _("Field devices (OpenRosa)")

    def ready(self):
        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_save

        from openrosa.auth import record_on_password_change

        post_save.connect(record_on_password_change, sender=get_user_model(), dispatch_uid="openrosa_digest_record")
