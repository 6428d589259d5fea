from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save


def sync_roles(using: str = "default", **kwargs) -> None:
    """post_migrate: give the editor and viewer groups exactly the permissions that
    inspections/admin/roles.py defines, on every database that is migrated."""
    from .admin.roles import sync_roles

    sync_roles(using=using)


class InspectionsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "inspections"

    def ready(self):
        from ofsted_tracker import http_cache

        # Any change to the inspection data gives the public pages a new ETag.
        for model in self.get_models():
            post_save.connect(http_cache.bump_data_version, sender=model)
            post_delete.connect(http_cache.bump_data_version, sender=model)
            for field in model._meta.local_many_to_many:
                m2m_changed.connect(http_cache.bump_data_version, sender=field.remote_field.through)
        post_migrate.connect(http_cache.bump_after_migrate, sender=self)
        post_migrate.connect(sync_roles, sender=self)
