"""Two-factor sign-in to the admin: a password, then a code from an authenticator app
(TOTP) or one of the person's single-use recovery codes (django-otp).

Required whenever settings.ADMIN_TWO_FACTOR is true, which it always is with
DJANGO_DEBUG=false. A signed-in session that was not verified with a code (one made
before two-factor sign-in was turned on, say) does not open the admin: the person is
asked to sign in again. Codes are enrolled with `manage.py enrol_two_factor USERNAME`.
"""

from django import forms
from django.conf import settings
from django.contrib.admin import AdminSite
from django.contrib.admin.forms import AdminAuthenticationForm
from django.http import HttpRequest
from django_otp.admin import OTPAdminAuthenticationForm
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

NOT_ENROLLED = (
    "Two-factor sign-in is not set up for this account yet: ask the person who manages "
    "admin accounts to set it up."
)


def device_for_code(user, code: str):
    """The device a code belongs to by its shape: six digits come from the authenticator
    app, anything else is a recovery code. Trying every device instead would count a
    failure against each one that did not match."""
    devices = TOTPDevice if code.isdigit() and len(code) == 6 else StaticDevice
    return devices.objects.devices_for_user(user, confirmed=True).first()


class TwoFactorAuthenticationForm(OTPAdminAuthenticationForm):
    otp_token = forms.CharField(
        label="Code",
        required=False,
        help_text="The 6-digit code from your authenticator app, or one of your recovery codes.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "spellcheck": "false"}),
    )

    def clean(self):
        # The password first, as the admin always checks it (django-axes counts failures).
        cleaned = AdminAuthenticationForm.clean(self)
        user = self.get_user()
        if user is not None:
            code = "".join((cleaned.get("otp_token") or "").split()).lower()
            cleaned["otp_token"] = code
            if not cleaned.get("otp_device") and code:
                device = device_for_code(user, code)
                if device is None and not any(
                    model.objects.devices_for_user(user, confirmed=True).exists()
                    for model in (TOTPDevice, StaticDevice)
                ):
                    raise forms.ValidationError(NOT_ENROLLED, code="not_enrolled")
                cleaned["otp_device"] = device.persistent_id if device else ""
            self.clean_otp(user)
        return cleaned


class TwoFactorAdminSite(AdminSite):
    @property
    def login_form(self):
        return TwoFactorAuthenticationForm if settings.ADMIN_TWO_FACTOR else None

    @property
    def login_template(self):
        return "admin/two_factor_login.html" if settings.ADMIN_TWO_FACTOR else None

    def has_permission(self, request: HttpRequest) -> bool:
        if not super().has_permission(request):
            return False
        return not settings.ADMIN_TWO_FACTOR or request.user.is_verified()
