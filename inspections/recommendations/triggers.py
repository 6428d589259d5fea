"""The rules of recommendations tracking that span tables, as database triggers.

A link goes strictly forward in time between areas for improvement of one council (so no
chain of links can come back on itself); a status update is not dated before its item;
moving an event or a finding cannot break either afterwards. The messages are the
sentences of inspections/models/tracking.py, which clean() gives the admin first.

On SQLite a migration that rebuilds a table (adding a constraint to the events table
does) fails while a trigger names that table, and dropping the table drops its own
triggers. So on SQLite the triggers are set aside before every migrate (pre_migrate) and
installed after it (post_migrate, see apps.py). On PostgreSQL migration 0012 installs
them, and post_migrate replaces them with the current version.
"""

from django.db import connections

from ..choices import FindingKind
from ..models import (
    EVENT_CHANGE_BREAKS_TRACKING,
    FINDING_CHANGE_BREAKS_TRACKING,
    LINK_NOT_FORWARD,
    LINK_NOT_IMPROVEMENT,
    LINK_OTHER_COUNCIL,
    LINK_TO_ITSELF,
    UPDATE_BEFORE_ITEM,
    UPDATE_NOT_IMPROVEMENT,
)

IMPROVEMENT = FindingKind.IMPROVEMENT.value
TABLES = ("inspections_concernlink", "inspections_statusupdate")


def literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


# Conditions under which a row is refused, written once for both databases. Each
# refers to NEW (and OLD), and reads only plain subqueries: SQLite allows no CTE in
# a trigger.
ITEM = (
    "(SELECT {column} FROM inspections_finding f JOIN inspections_event e "
    "ON e.id = f.event_id WHERE f.id = {item})"
)


def item(column: str, item_id: str) -> str:
    return ITEM.format(column=column, item=item_id)


LINK_RULES = [
    ("NEW.earlier_id = NEW.later_id", LINK_TO_ITSELF),
    (
        "EXISTS (SELECT 1 FROM inspections_finding f "
        f"WHERE f.id IN (NEW.earlier_id, NEW.later_id) AND f.kind <> '{IMPROVEMENT}')",
        LINK_NOT_IMPROVEMENT,
    ),
    (
        f"{item('e.authority_id', 'NEW.earlier_id')} <> {item('e.authority_id', 'NEW.later_id')}",
        LINK_OTHER_COUNCIL,
    ),
    (
        f"{item('e.start_date', 'NEW.earlier_id')} >= {item('e.start_date', 'NEW.later_id')}",
        LINK_NOT_FORWARD,
    ),
]
UPDATE_RULES = [
    (
        "(SELECT f.kind FROM inspections_finding f WHERE f.id = NEW.finding_id) "
        f"<> '{IMPROVEMENT}'",
        UPDATE_NOT_IMPROVEMENT,
    ),
    (f'NEW."on" < {item("e.start_date", "NEW.finding_id")}', UPDATE_BEFORE_ITEM),
]
EVENT_RULES = [
    (
        "(NEW.start_date <> OLD.start_date OR NEW.authority_id <> OLD.authority_id) AND ("
        # A status update of one of this event's items, dated before the new date.
        "EXISTS (SELECT 1 FROM inspections_statusupdate u JOIN inspections_finding f "
        'ON f.id = u.finding_id WHERE f.event_id = NEW.id AND u."on" < NEW.start_date) '
        # A link from one of this event's items to one no later, or of another council.
        "OR EXISTS (SELECT 1 FROM inspections_concernlink l "
        "JOIN inspections_finding fe ON fe.id = l.earlier_id "
        "JOIN inspections_finding fl ON fl.id = l.later_id "
        "JOIN inspections_event el ON el.id = fl.event_id "
        "WHERE fe.event_id = NEW.id AND (el.start_date <= NEW.start_date "
        "OR el.authority_id <> NEW.authority_id)) "
        # A link to one of this event's items from one no earlier, or of another council.
        "OR EXISTS (SELECT 1 FROM inspections_concernlink l "
        "JOIN inspections_finding fe ON fe.id = l.earlier_id "
        "JOIN inspections_finding fl ON fl.id = l.later_id "
        "JOIN inspections_event ee ON ee.id = fe.event_id "
        "WHERE fl.event_id = NEW.id AND (ee.start_date >= NEW.start_date "
        "OR ee.authority_id <> NEW.authority_id)))",
        EVENT_CHANGE_BREAKS_TRACKING,
    ),
]
FINDING_RULES = [
    (
        "(NEW.event_id <> OLD.event_id OR NEW.kind <> OLD.kind) AND ("
        "EXISTS (SELECT 1 FROM inspections_concernlink l "
        "WHERE l.earlier_id = NEW.id OR l.later_id = NEW.id) "
        "OR EXISTS (SELECT 1 FROM inspections_statusupdate u WHERE u.finding_id = NEW.id))",
        FINDING_CHANGE_BREAKS_TRACKING,
    ),
]
# (trigger name, table, events, rules)
TRIGGERS = [
    ("concernlink_rules", "inspections_concernlink", ["INSERT", "UPDATE"], LINK_RULES),
    ("statusupdate_rules", "inspections_statusupdate", ["INSERT", "UPDATE"], UPDATE_RULES),
    ("event_keeps_tracking", "inspections_event", ["UPDATE"], EVENT_RULES),
    ("finding_keeps_tracking", "inspections_finding", ["UPDATE"], FINDING_RULES),
]


def sqlite_sql(name, table, events, rules) -> list[str]:
    body = " ".join(
        f"SELECT RAISE(ABORT, {literal(message)}) WHERE {condition};"
        for condition, message in rules
    )
    return [
        f"CREATE TRIGGER {name}_{event.lower()} BEFORE {event} ON {table} "
        f"FOR EACH ROW BEGIN {body} END"
        for event in events
    ]


def postgresql_sql(name, table, events, rules) -> list[str]:
    # check_violation makes psycopg raise IntegrityError, as a CHECK constraint does.
    body = " ".join(
        f"IF {condition} THEN RAISE EXCEPTION USING ERRCODE = 'check_violation', "
        f"MESSAGE = {literal(message)}; END IF;"
        for condition, message in rules
    )
    return [
        f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN {body} RETURN NEW; END $$",
        f"CREATE TRIGGER {name} BEFORE {' OR '.join(events)} ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION {name}()",
    ]


def drop_sql(vendor, name, table, events) -> list[str]:
    if vendor == "postgresql":
        return [f"DROP TRIGGER IF EXISTS {name} ON {table}", f"DROP FUNCTION IF EXISTS {name}()"]
    return [f"DROP TRIGGER IF EXISTS {name}_{event.lower()}" for event in events]


def install(connection) -> None:
    """Create every trigger, replacing any that is there."""
    vendor = connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        raise NotImplementedError(f"No recommendation triggers for {vendor}.")
    build = postgresql_sql if vendor == "postgresql" else sqlite_sql
    with connection.cursor() as cursor:
        for name, table, events, rules in TRIGGERS:
            for statement in [
                *drop_sql(vendor, name, table, events),
                *build(name, table, events, rules),
            ]:
                cursor.execute(statement)


def drop(connection) -> None:
    with connection.cursor() as cursor:
        for name, table, events, _rules in TRIGGERS:
            for statement in drop_sql(connection.vendor, name, table, events):
                cursor.execute(statement)


def set_aside(using: str = "default", **kwargs) -> None:
    """pre_migrate: on SQLite, drop the triggers so that migrations can rebuild tables."""
    connection = connections[using]
    if connection.vendor == "sqlite":
        drop(connection)


def reinstall(using: str = "default", **kwargs) -> None:
    """post_migrate: put the triggers back once the tracking tables exist."""
    connection = connections[using]
    if set(TABLES) <= set(connection.introspection.table_names()):
        install(connection)
