"""Every admin list answers a filter it cannot use with Django's "bad parameters" redirect,
never a 500 (`DateSafeChangeList`, inspections/admin/filters.py): django-axes' lists of
sign-in attempts are registered here rather than by axes (AXES_ENABLE_ADMIN = False), and
the lists of the other apps' admins (users, groups, two-factor devices) are registered
again with that changelist. Imported by ofsted_tracker/apps.py once the admin has found
every app's admin module."""

from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib import admin

from inspections.admin.filters import DateSafeChangeList


class DateSafeLists:
    def get_changelist(self, request, **kwargs):
        return DateSafeChangeList


def date_safe(model_admin):
    return type(model_admin.__name__, (DateSafeLists, model_admin), {"__module__": __name__})


for model, model_admin in (
    (AccessAttempt, AccessAttemptAdmin),
    (AccessLog, AccessLogAdmin),
    (AccessFailureLog, AccessFailureLogAdmin),
):
    admin.site.register(model, date_safe(model_admin))

for model in apps.get_models():
    if not admin.site.is_registered(model):
        continue
    current = admin.site.get_model_admin(model)
    if not issubclass(current.get_changelist(None), DateSafeChangeList):
        admin.site.unregister(model)
        admin.site.register(model, date_safe(type(current)))
