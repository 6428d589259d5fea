"""The "Inspection editors" and "Inspection viewers" groups.

The groups and their permissions are kept by a post_migrate receiver (inspections/apps.py
calls inspections/admin/roles.py's sync_roles after every migrate), so that they always
match the roles as the code defines them. Unapplying this migration removes the groups.
"""

from django.db import migrations


def remove_roles(apps, schema_editor):
    names = ["Inspection editors", "Inspection viewers"]
    apps.get_model("auth", "Group").objects.filter(name__in=names).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("inspections", "0002_history_and_admin_proxies"),
    ]

    operations = [migrations.RunPython(migrations.RunPython.noop, remove_roles)]
