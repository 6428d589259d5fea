"""Admin accounts: someone who has changed the data is deactivated, never deleted.

Deleting a user would blank their name on every history row (history_user is set to
null) and delete their admin log entries: the audit trail would forget who did what.
The user page refuses such a deletion on Django's own confirmation page, and asks for
the account to be deactivated instead; the model refuses it too (`refuse_deletion`).
"""

from django.apps import apps
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db.models import ProtectedError
from django.db.models.signals import pre_delete
from django.dispatch import receiver

User = get_user_model()


def changes_made_by(user) -> int:
    """How many recorded changes (history rows and admin log entries) `user` made."""
    count = LogEntry.objects.filter(user=user).count()
    for model in apps.get_app_config("inspections").get_models():
        if model.__name__.startswith("Historical"):
            count += model.objects.filter(history_user=user).count()
    return count


def deletion_refusal(user) -> str:
    made = changes_made_by(user)
    if not made:
        return ""
    return (
        f"{user.get_username()} made {made} recorded change{'s' if made != 1 else ''}: "
        "the history must keep their name. Deactivate the account instead (untick "
        "“Active” on its page): they can no longer sign in."
    )


@receiver(pre_delete, sender=User, dispatch_uid="inspections_keep_audit_trail")
def refuse_deletion(sender, instance, **kwargs):
    if reason := deletion_refusal(instance):
        raise ProtectedError(reason, set())


admin.site.unregister(User)


@admin.register(User)
class AuditedUserAdmin(UserAdmin):
    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        protected.extend(reason for user in objs if (reason := deletion_refusal(user)))
        return deleted, counts, perms_needed, protected
