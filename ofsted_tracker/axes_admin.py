"""django-axes' lists of sign-in attempts in the admin, registered here rather than by axes
(AXES_ENABLE_ADMIN = False) so that their date drill-down refuses an impossible date
(`?attempt_time__year=99999999999999999999`) as every other list does, instead of a 500
(inspections/admin/filters.py). Imported by ofsted_tracker/apps.py once the admin has
found every app's admin module."""

from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin

from inspections.admin.filters import DateSafeChangeList


class DateSafeLists:
    def get_changelist(self, request, **kwargs):
        return DateSafeChangeList


for model, model_admin in (
    (AccessAttempt, AccessAttemptAdmin),
    (AccessLog, AccessLogAdmin),
    (AccessFailureLog, AccessFailureLogAdmin),
):
    admin.site.register(model, type(model_admin.__name__, (DateSafeLists, model_admin), {}))
