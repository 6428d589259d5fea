"""Drop the database triggers that enforced the recommendations-tracking rules.

Those rules are written once, in Python (inspections/models/rules.py), and called by the
models' clean() and by the seed. Older databases still carry the triggers: this drops
them on SQLite and on PostgreSQL (with their functions). Self-contained: it imports no
app code, so it reads the same whatever the app becomes.
"""

from django.db import migrations

# (trigger, table, statements it fired on), as migration 0012 created them.
TRIGGERS = [
    ("concernlink_rules", "inspections_concernlink", ["insert", "update"]),
    ("statusupdate_rules", "inspections_statusupdate", ["insert", "update"]),
    ("event_keeps_tracking", "inspections_event", ["update"]),
    ("finding_keeps_tracking", "inspections_finding", ["update"]),
]


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for name, table, events in TRIGGERS:
        if vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {name}()")
        elif vendor == "sqlite":
            for event in events:
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}_{event}")


class Migration(migrations.Migration):
    dependencies = [("inspections", "0015_link_plural")]

    operations = [migrations.RunPython(drop_triggers, migrations.RunPython.noop)]
