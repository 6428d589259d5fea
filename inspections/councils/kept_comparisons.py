"""A council's comparison on its first visit after a change of data (issue 16), from
pieces kept in each worker under the fragment version: what every comparison shares (the
years, the regions' and England's figures, the sources cited more than once) and each
council's record (its latest grades, its ILACS history, its spells judged inadequate and
its neighbours). A comparison reads its own council's record and its neighbours', not
every council's; all of them are worked out at once, the first time any is missing."""

from collections.abc import Callable

from django.core.cache import caches
from django.http import HttpRequest

from ofsted_tracker.http_cache import fragment_version, kept_fragment

from ..models import LocalAuthority
from ..web.fragments import fragment_key
from .comparisons import (
    Basis,
    Comparison,
    CouncilRecord,
    compare_with,
    comparison_basis,
    ilacs_histories,
    statistical_neighbours,
)
from .grades import CouncilGrades


def kept_comparison(
    request: HttpRequest,
    authority: LocalAuthority,
    everyone: Callable[[], list[CouncilGrades]],
) -> Comparison:
    """compare(authority), from kept pieces when they are all there; `everyone` gives
    every council's latest grades (kept too) when they are not."""
    version = fragment_version(request)
    fragments = caches["fragments"]

    def key(part: object) -> str:
        return fragment_key(version, "comparison", part)

    def work_out_all() -> tuple[Basis, dict[int, CouncilRecord]]:
        histories = kept_fragment(request, "councils:ilacs-histories", ilacs_histories)
        basis, records = comparison_basis(everyone(), histories, statistical_neighbours())
        fragments.set_many({key(pk): record for pk, record in records.items()})
        fragments.set(key("basis"), basis)
        return basis, records

    kept = fragments.get_many([key("basis"), key(authority.pk)])
    if len(kept) < 2:
        return compare_with(authority, *work_out_all())
    own: CouncilRecord = kept[key(authority.pk)]
    wanted = {neighbour_id: key(neighbour_id) for neighbour_id, _rank, _c in own.neighbours}
    neighbours = fragments.get_many(list(wanted.values()))
    if len(neighbours) < len(wanted):
        return compare_with(authority, *work_out_all())
    records = {authority.pk: own} | {pk: neighbours[k] for pk, k in wanted.items()}
    return compare_with(authority, kept[key("basis")], records)
