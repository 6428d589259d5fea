"""Signed-in sessions end after 30 minutes away from the admin, and 12 hours at most.

Only admins sign in, so every signed-in session is an admin session. Django's
SESSION_COOKIE_AGE alone ends a session 12 hours after it was last *saved*, and a busy
admin saves it all day; the two times kept in the session make both limits hold. A
password change ends the user's other sessions through Django's session hash check.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

SIGNED_IN_AT = "ofsted_signed_in_at"
LAST_SEEN_AT = "ofsted_last_seen_at"
# Saving the session on every request would cost a write each time: a minute is precise
# enough for a 30-minute limit.
LAST_SEEN_RESOLUTION_SECONDS = 60


def session_expired(session, now: float) -> str | None:
    """Why the session has ended, or None while it is still good."""
    signed_in_at = session.get(SIGNED_IN_AT)
    last_seen_at = session.get(LAST_SEEN_AT)
    if signed_in_at is None or last_seen_at is None:
        return None
    if now - signed_in_at > settings.SESSION_COOKIE_AGE:
        hours = settings.SESSION_COOKIE_AGE // 3600
        return f"You were signed out because you signed in more than {hours} hours ago."
    if now - last_seen_at > settings.ADMIN_SESSION_IDLE_SECONDS:
        minutes = settings.ADMIN_SESSION_IDLE_SECONDS // 60
        return f"You were signed out after {minutes} minutes without using the admin."
    return None


def start_session_clock(sender, request: HttpRequest, user, **kwargs) -> None:
    """On signing in (connected in ofsted_tracker/apps.py): both clocks start, stored with
    the sign-in's own session write rather than one more on the next request."""
    if request is not None and hasattr(request, "session"):
        now = time.time()
        request.session[SIGNED_IN_AT] = now
        request.session[LAST_SEEN_AT] = now


class AdminSessionTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Only admin pages, and only with a session cookie: touching the session anywhere
        # else would mark public pages as varying by cookie and keep them out of the page
        # cache (inspections/conditional.py). The idle clock is time away from the admin.
        if (
            settings.SESSION_COOKIE_NAME in request.COOKIES
            and request.path_info.startswith(reverse("admin:index"))
            and request.user.is_authenticated
        ):
            session, now = request.session, time.time()
            reason = session_expired(session, now)
            if reason:
                logout(request)
                messages.info(request, reason)
            else:
                # A session signed in before this middleware existed starts its clock now.
                session.setdefault(SIGNED_IN_AT, now)
                last_seen_at = session.get(LAST_SEEN_AT)
                if last_seen_at is None or now - last_seen_at >= LAST_SEEN_RESOLUTION_SECONDS:
                    session[LAST_SEEN_AT] = now
        return self.get_response(request)
