"""The two admin roles, as Django groups.

A data migration (0003) creates them. Changing what a role may do needs a new data
migration that calls `sync_roles` again, so that every database gets the change.
"""

from django.apps import apps as global_apps

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


def sync_roles(apps=global_apps) -> None:
    """Create both groups (or bring them up to date) with exactly their permissions."""
    from django.contrib.auth.management import create_permissions

    # On a fresh database the permissions are normally made after all migrations have
    # run (post_migrate); make them now so that the groups can be given them.
    for app_config in apps.get_app_configs():
        # Migration states leave models_module unset, which create_permissions skips.
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = models_module or True
        try:
            create_permissions(app_config, apps=apps, verbosity=0)
        finally:
            app_config.models_module = models_module

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    # An earlier migration sees only the models of its day: it gives the roles those.
    present = {model._meta.model_name for model in apps.get_app_config("inspections").get_models()}
    for role in (EDITORS, VIEWERS):
        wanted = {name for name in codenames(role) if name.split("_", 1)[1] in present}
        permissions = list(
            Permission.objects.filter(content_type__app_label="inspections", codename__in=wanted)
        )
        missing = wanted - {permission.codename for permission in permissions}
        if missing:
            raise RuntimeError(f"Permissions missing for {role}: {sorted(missing)}")
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.set(permissions)
