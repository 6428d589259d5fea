"""Who changed what, and when: django-simple-history, made to fit this app.

Two gaps in the library matter here:

- Django sends a proxy model's save and delete signals with the proxy as sender, and
  simple-history listens for the concrete model only. The admin edits events through two
  proxies (Inspection and Visit), so without `ProxyAwareHistoricalRecords` nothing an
  admin does to an event would be recorded.
- Records loaded from the seed fixture (or bulk-created) have no history row. Their first
  change would then be recorded without the text it replaced. `record_baseline` writes
  the stored state once, just before the first recorded change, so the history always
  shows the old value beside the new.
"""

from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver
from simple_history.models import HistoricalRecords

BASELINE_REASON = "As stored before the first change recorded here (loaded from the seed data)"


class ProxyAwareHistoricalRecords(HistoricalRecords):
    """HistoricalRecords whose proxies share the concrete model's history table."""

    def finalize(self, sender, **kwargs):
        if sender is not self.cls and sender._meta.proxy and issubclass(sender, self.cls):
            post_save.connect(self.post_save, sender=sender, weak=False)
            pre_delete.connect(self.pre_delete, sender=sender, weak=False)
            post_delete.connect(self.post_delete, sender=sender, weak=False)
            # SimpleHistoryAdmin and the library's helpers look the manager up on _meta.
            sender._meta.simple_history_manager_attribute = self.manager_name
            return
        super().finalize(sender, **kwargs)


def is_tracked(model) -> bool:
    return hasattr(model._meta, "simple_history_manager_attribute")


@receiver(pre_save, dispatch_uid="inspections_history_baseline")
def record_baseline(sender, instance, raw=False, **kwargs):
    if raw or instance._state.adding or instance.pk is None or not is_tracked(sender):
        return
    concrete = sender._meta.concrete_model
    history = getattr(concrete, sender._meta.simple_history_manager_attribute)
    if history.filter(**{concrete._meta.pk.attname: instance.pk}).exists():
        return
    stored = concrete._base_manager.filter(pk=instance.pk).first()
    if stored is not None:
        history.bulk_history_create([stored], default_change_reason=BASELINE_REASON)
