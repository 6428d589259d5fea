from django.apps import AppConfig
from django.db.models.signals import (
    m2m_changed,
    post_delete,
    post_migrate,
    post_save,
    pre_migrate,
)


class InspectionsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "inspections"

    def ready(self):
        from ofsted_tracker import http_cache

        from .recommendations import triggers as tracking_triggers

        # Any change to the inspection data gives the public pages a new ETag.
        for model in self.get_models():
            post_save.connect(http_cache.bump_data_version, sender=model)
            post_delete.connect(http_cache.bump_data_version, sender=model)
            for field in model._meta.local_many_to_many:
                m2m_changed.connect(http_cache.bump_data_version, sender=field.remote_field.through)
        post_migrate.connect(http_cache.bump_after_migrate, sender=self)
        # SQLite cannot rebuild a table that a trigger names: the tracking triggers are
        # set aside while migrations run, and installed after them.
        pre_migrate.connect(tracking_triggers.set_aside, sender=self)
        post_migrate.connect(tracking_triggers.reinstall, sender=self)
