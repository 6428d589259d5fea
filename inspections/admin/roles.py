"""The two admin roles, as Django groups.

After every migrate a post_migrate receiver (inspections/apps.py) calls `sync_roles`, so
every database gives each role exactly what this module says: changing what a role may
do is a change here, and the next migrate carries it.
"""

EDITORS = "Inspection editors"
VIEWERS = "Inspection viewers"

# Everything an admin can see in the inspections app.
VIEWABLE = [
    "event",
    "inspection",
    "visit",
    "eventsource",
    "judgement",
    "finding",
    "figure",
    "statement",
    "source",
    "theme",
    "person",
    "localauthority",
    "recommendation",
    "concernlink",
    "statusupdate",
]

# Editors record new outcomes and correct mistakes. Every change is in the history and a
# deleted fact can be restored from it. Sources are never deleted: facts cite them.
EDITOR_ACTIONS = {
    "inspection": ["add", "change", "delete"],
    "visit": ["add", "change", "delete"],
    "eventsource": ["add", "change", "delete"],
    "judgement": ["add", "change", "delete"],
    "finding": ["add", "change", "delete"],
    "figure": ["add", "change", "delete"],
    "statement": ["add", "change", "delete"],
    "source": ["add", "change"],
    "theme": ["add", "change"],
    "person": ["add", "change"],
    # Recommendations are improvement findings: deleting one is done with its event.
    "recommendation": ["change"],
    "concernlink": ["add", "change", "delete"],
    "statusupdate": ["add", "change", "delete"],
}


def codenames(role: str) -> set[str]:
    viewing = {f"view_{model}" for model in VIEWABLE}
    if role == VIEWERS:
        return viewing
    return viewing | {
        f"{action}_{model}" for model, actions in EDITOR_ACTIONS.items() for action in actions
    }


def sync_roles(using: str = "default") -> None:
    """Create both groups (or bring them up to date) with exactly their permissions.
    Run after every migrate (see inspections/apps.py), once Django has made the
    permissions of every model."""
    from django.contrib.auth.models import Group, Permission

    for role in (EDITORS, VIEWERS):
        wanted = codenames(role)
        permissions = list(
            Permission.objects.using(using).filter(
                content_type__app_label="inspections", codename__in=wanted
            )
        )
        missing = wanted - {permission.codename for permission in permissions}
        if missing:
            raise RuntimeError(f"Permissions missing for {role}: {sorted(missing)}")
        group, _ = Group.objects.using(using).get_or_create(name=role)
        group.permissions.set(permissions)
