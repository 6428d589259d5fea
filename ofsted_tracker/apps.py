"""The admin, with the site class that asks for a second factor (ofsted_tracker/two_factor.py)
and sessions that end (ofsted_tracker/admin_sessions.py).

Django's documented way to replace the default admin site: every `admin.register` in the
project registers on it, unchanged.
"""

from django.contrib.admin.apps import AdminConfig


class TwoFactorAdminConfig(AdminConfig):
    default_site = "ofsted_tracker.two_factor.TwoFactorAdminSite"

    def ready(self):
        super().ready()
        # Only admins sign in: their session's clocks start when they do.
        from django.contrib.auth.signals import user_logged_in

        from .admin_sessions import start_session_clock

        user_logged_in.connect(start_session_clock, dispatch_uid="ofsted_session_clock")
        # django-axes' lists, with the date drill-down every other list has.
        from . import axes_admin  # noqa: F401
