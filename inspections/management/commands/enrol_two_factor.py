"""Sets up two-factor sign-in for an admin: an authenticator app and recovery codes.

    python manage.py enrol_two_factor USERNAME [--replace]

Prints the otpauth:// address (and its secret, for typing into the app by hand) and ten
single-use recovery codes. Run it for the first superuser on the server; a superuser can
run it for everyone else, and hand over what it prints in person.
"""

from base64 import b32encode

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

RECOVERY_CODES = 10


class Command(BaseCommand):
    help = "Set up two-factor sign-in (an authenticator app and recovery codes) for a user."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Replace the user's existing authenticator app and recovery codes.",
        )

    def handle(self, *args, username: str, replace: bool, **options):
        User = get_user_model()
        try:
            user = User.objects.get(**{User.USERNAME_FIELD: username})
        except User.DoesNotExist:
            raise CommandError(f"There is no user called {username!r}.") from None
        existing = [model.objects.devices_for_user(user) for model in (TOTPDevice, StaticDevice)]
        if any(devices.exists() for devices in existing) and not replace:
            raise CommandError(
                f"{username} already has two-factor sign-in: add --replace to make new codes "
                "(the old ones stop working)."
            )
        with transaction.atomic():
            for devices in existing:
                devices.delete()
            app = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
            recovery = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
            codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
            StaticToken.objects.bulk_create(
                StaticToken(device=recovery, token=code) for code in codes
            )
        secret = b32encode(app.bin_key).decode()
        self.stdout.write(
            f"Two-factor sign-in is set up for {username}.\n\n"
            "Add this to an authenticator app (scan it as a QR code, e.g. with\n"
            "`qrencode -t ansiutf8 'ADDRESS'`, or type the secret in by hand):\n"
            f"  {app.config_url}\n"
            f"  secret: {secret}\n\n"
            "Recovery codes, each usable once, for when the app is not to hand.\n"
            "Keep them somewhere safe, away from the device:\n"
            + "".join(f"  {code}\n" for code in codes)
        )
