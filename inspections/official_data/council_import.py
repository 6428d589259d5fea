"""Write the councils and their statistical neighbours read by council_lookups.

A council already on the site (West Sussex from the seed data) is found by its DfE number,
its ONS code or its slug, and keeps its name and slug: those are what its pages show and
where they live. Its codes, region and status follow the lookups. A status only ever moves
to "no longer exists": a council abolished does not come back. Writes are bulk (no history
rows, like the seed data), and the data version is bumped once.
"""

from pathlib import Path

from django.conf import settings
from django.db import transaction

from ofsted_tracker import http_cache

from ..choices import AuthorityStatus
from ..models import LocalAuthority, StatisticalNeighbour
from .council_lookups import Council, read_councils
from .import_results import ImportRefused, Tally

LOOKUP_DIR = Path(settings.BASE_DIR) / "fixtures" / "ofsted"
PROVIDERS_FILE = LOOKUP_DIR / "Provider_data_lookup.csv"
NEIGHBOURS_FILE = LOOKUP_DIR / "New_Statistical_Neighbour_Groupings_April_2021.csv"
COUNCILS = "Councils"
NEIGHBOURS = "Statistical neighbours"


def import_council_files(
    providers: Path = PROVIDERS_FILE, neighbours: Path = NEIGHBOURS_FILE, *, keep_existing=False
) -> Tally:
    return import_councils(read_councils(providers, neighbours), keep_existing=keep_existing)


@transaction.atomic
def import_councils(councils: list[Council], *, keep_existing: bool = False) -> Tally:
    """With `keep_existing` (`manage.py seed`) a council on the site only gains the codes
    it lacks: what an editor set stays."""
    tally = Tally()
    authorities = _write_authorities(councils, tally, keep_existing)
    _write_neighbours(councils, authorities, tally)
    if tally.changed:
        http_cache.bump_data_version()
    return tally


def _match(council: Council, stored: list[LocalAuthority]) -> LocalAuthority | None:
    by_number = next((a for a in stored if a.dfe_number == council.dfe_number), None)
    by_code = council.ons_code and next((a for a in stored if a.ons_code == council.ons_code), None)
    if by_number and by_code and by_number != by_code:
        raise ImportRefused(
            f"The lookups give DfE number {council.dfe_number} and ONS code {council.ons_code} "
            f"to one council, but the site has them on two: {by_number} and {by_code}."
        )
    return by_number or by_code or next((a for a in stored if a.slug == council.slug), None)


def _changes(authority: LocalAuthority, council: Council, keep_existing: bool) -> dict:
    wanted = {
        "dfe_number": council.dfe_number,
        "ons_code": council.ons_code or authority.ons_code,
        "ofsted_urn": council.ofsted_urn or authority.ofsted_urn,
        "region": council.region or authority.region,
    }
    if council.status == AuthorityStatus.NO_LONGER_EXISTS:
        wanted["status"] = council.status
    if keep_existing:
        wanted = {name: value for name, value in wanted.items() if not getattr(authority, name)}
    return {name: value for name, value in wanted.items() if getattr(authority, name) != value}


def _write_authorities(
    councils: list[Council], tally: Tally, keep_existing: bool
) -> dict[int, LocalAuthority]:
    stored = list(LocalAuthority.objects.all())
    names = {a.name.casefold(): a for a in stored}
    by_number: dict[int, LocalAuthority] = {}
    new = []
    for council in councils:
        authority = _match(council, stored)
        if authority is None:
            if council.name.casefold() in names:
                raise ImportRefused(
                    f"The site already has a council called {council.name} without DfE number "
                    f"{council.dfe_number}: give it that number, or rename it, first."
                )
            authority = LocalAuthority(
                name=council.name,
                slug=council.slug,
                dfe_number=council.dfe_number,
                ons_code=council.ons_code,
                ofsted_urn=council.ofsted_urn,
                region=council.region,
                status=council.status,
            )
            new.append(authority)
        elif changes := _changes(authority, council, keep_existing):
            for name, value in changes.items():
                setattr(authority, name, value)
            # Like the rows bulk-created here, reference data loaded from the lookups keeps
            # no history: `seed` reloads West Sussex from its fixture and then its codes from
            # here every time, which would otherwise add a history row on every run.
            LocalAuthority.objects.filter(pk=authority.pk).update(**changes)
            tally.update(COUNCILS)
        else:
            tally.keep(COUNCILS)
        by_number[council.dfe_number] = authority
    LocalAuthority.objects.bulk_create(new)
    tally.add(COUNCILS, len(new))
    return by_number


def _write_neighbours(
    councils: list[Council], authorities: dict[int, LocalAuthority], tally: Tally
) -> None:
    covered = [authorities[c.dfe_number].pk for c in councils if c.neighbours]
    stored = {
        (n.authority_id, n.rank): n
        for n in StatisticalNeighbour.objects.filter(authority_id__in=covered)
    }
    wanted = {
        (authorities[c.dfe_number].pk, n.rank): (authorities[n.dfe_number].pk, n.closeness)
        for c in councils
        for n in c.neighbours
    }
    stale = [
        row.pk
        for key, row in stored.items()
        if wanted.get(key) != (row.neighbour_id, row.closeness)
    ]
    # Changed rows are replaced, not edited, so that a neighbour moving up a rank never
    # meets its old row in the unique constraints.
    StatisticalNeighbour.objects.filter(pk__in=stale).delete()
    new = [
        StatisticalNeighbour(
            authority_id=authority, rank=rank, neighbour_id=neighbour, closeness=closeness
        )
        for (authority, rank), (neighbour, closeness) in wanted.items()
        if (authority, rank) not in stored or stored[(authority, rank)].pk in stale
    ]
    StatisticalNeighbour.objects.bulk_create(new)
    replaced = sum(1 for key, row in stored.items() if row.pk in stale and key in wanted)
    tally.add(NEIGHBOURS, len(new) - replaced)
    tally.update(NEIGHBOURS, replaced)
    tally.keep(NEIGHBOURS, len(stored) - len(stale))
    tally.remove(NEIGHBOURS, len(stale) - replaced)
