"""The "Inspection editors" and "Inspection viewers" groups (see inspections/roles.py)."""

from django.db import migrations


def create_roles(apps, schema_editor):
    from inspections.admin.roles import sync_roles

    sync_roles(apps)


def remove_roles(apps, schema_editor):
    from inspections.admin.roles import EDITORS, VIEWERS

    apps.get_model("auth", "Group").objects.filter(name__in=[EDITORS, VIEWERS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("inspections", "0002_history_and_admin_proxies"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
