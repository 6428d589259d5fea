"""West Sussex's recommendations followed through, as the seed data records them.

Every status update quotes its source word for word and is dated when the source was
published; every link goes forward in time; and the concerns that issue 13 names (children
missing from home and their return interviews, 16- and 17-year-olds who present as
homeless, care leavers) are followed across the three reports as far as the reports
themselves raise them.
"""

import io
import json
import re
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from inspections.choices import ConcernStatus, FindingKind, SourceKind
from inspections.models import ConcernLink, Finding, LocalAuthority, Source, StatusUpdate
from inspections.official_data.report_pdf import read_pages
from inspections.recommendations.concerns import read_concerns
from tests.shared_files import SEEDS, SHARED, report_for_seed_file

from ..conftest import require

pytestmark = pytest.mark.django_db

FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "west_sussex.json"
QUOTE_MARKS = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'})


def comparable(text: str) -> str:
    """Words as a reader compares them: straight quotes, a hyphen at a line's end joined to
    the next line's word, and single spaces."""
    text = re.sub(r"-\s*\n\s*", "-", text.translate(QUOTE_MARKS))
    return " ".join(text.split())


def words_of(source: Source) -> str:
    """The full text of a report (read as the site's report reader reads it) or article."""
    if source.kind == SourceKind.REPORT:
        return comparable("\n".join(read_pages(report_for_seed_file(source.seed_file))))
    article = SEEDS / source.seed_file
    require(article.is_file(), f"the source article is not at {article}")
    return comparable(article.read_text())


def report_recommendations(pattern: str) -> dict[int, set[int]]:
    """The reports' recommendations whose words match, by the year their inspection began."""
    found = defaultdict(set)
    recommendations = Finding.objects.filter(
        kind=FindingKind.IMPROVEMENT,
        source__kind=SourceKind.REPORT,
        text__iregex=pattern,
    ).values_list("pk", "event__start_date")
    for pk, start in recommendations:
        found[start.year].add(pk)
    return found


def links() -> set[tuple[int, int]]:
    return set(ConcernLink.objects.values_list("earlier", "later"))


def test_every_status_update_quotes_its_source_word_for_word(seed_data):
    require(SHARED.is_dir(), f"the Ofsted reports and articles are not in {SHARED}")
    updates = StatusUpdate.objects.select_related("source").order_by("source", "pk")
    assert updates.exists()
    words = {}
    for update in updates:
        if update.source_id not in words:
            words[update.source_id] = words_of(update.source)
        assert update.quote, f"status update {update.pk} quotes nothing"
        assert comparable(update.quote) in words[update.source_id], (
            f"status update {update.pk}: {update.quote[:60]!r} is not in {update.source}"
        )


def test_every_status_update_is_dated_when_its_source_was_published(seed_data):
    updates = StatusUpdate.objects.select_related("source")
    assert updates.exists()
    for update in updates:
        assert update.on == update.source.published_on, f"status update {update.pk}"


def test_links_join_one_councils_recommendations_going_forward_in_time(seed_data):
    chains = ConcernLink.objects.select_related("earlier__event", "later__event")
    assert chains.exists()
    for link in chains:
        earlier, later = link.earlier, link.later
        assert earlier.kind == later.kind == FindingKind.IMPROVEMENT
        assert earlier.event.authority_id == later.event.authority_id
        assert earlier.event.start_date < later.event.start_date, f"link {link.pk}"
        assert link.reason.strip(), f"link {link.pk} does not say what supports it"


def test_following_the_links_never_comes_back_to_an_item(seed_data):
    later_of = defaultdict(set)
    for earlier, later in links():
        later_of[earlier].add(later)

    def visit(item: int, path: tuple[int, ...]) -> None:
        assert item not in path, f"the links from {path[0]} come back to {item}"
        for later in later_of[item]:
            visit(later, (*path, item))

    for start in list(later_of):
        visit(start, ())


def test_return_interviews_for_missing_children_run_from_2015_through_2019_to_2023(seed_data):
    asked = report_recommendations(r"return (home )?interview")
    linked = links()
    chains = [
        (first, second, third)
        for first in asked[2015]
        for second in asked[2019]
        for third in asked[2023]
        if (first, second) in linked and (second, third) in linked
    ]
    assert chains


def test_homeless_16_and_17_year_olds_are_followed_from_2019_to_2023(seed_data):
    asked = report_recommendations(r"homeless")
    # The 2015 report found the youth homelessness service effective and recommended
    # nothing on it, so the concern is first raised in 2019.
    assert not asked[2015]
    pairs = [(a, b) for a in asked[2019] for b in asked[2023] if (a, b) in links()]
    assert pairs
    raised_again = StatusUpdate.objects.filter(
        finding__in=[a for a, _ in pairs],
        status=ConcernStatus.RAISED_AGAIN,
        source__findings__in=[b for _, b in pairs],
    )
    assert raised_again.exists()


def test_care_leavers_are_followed_from_2015_to_2023_with_the_2019_reports_word(seed_data):
    asked = report_recommendations(r"care leavers")
    # The 2019 report made no recommendation on care leavers: what it says of a 2015 one is
    # recorded on it, so the chain hears from all three reports.
    assert not asked[2019]
    heard_in_2019 = set(
        StatusUpdate.objects.filter(
            source__kind=SourceKind.REPORT, source__published_on__year=2019
        ).values_list("finding", flat=True)
    )
    chains = [
        (first, last)
        for first in asked[2015] & heard_in_2019
        for last in asked[2023]
        if (first, last) in links()
    ]
    assert chains


def recommended_again_in_2023() -> list[ConcernLink]:
    """Links into a recommendation of the 2023 report: the concern raised again there."""
    return list(
        ConcernLink.objects.filter(
            later__source__kind=SourceKind.REPORT, later__event__start_date__year=2023
        ).select_related("earlier", "later")
    )


def test_an_item_recommended_again_in_2023_says_so_in_the_2023_reports_words(seed_data):
    followed = recommended_again_in_2023()
    assert followed
    for link in followed:
        assert StatusUpdate.objects.filter(
            finding=link.earlier_id,
            status=ConcernStatus.RAISED_AGAIN,
            source=link.later.source_id,
        ).exists(), f"{link.earlier} is not shown as raised again"


def test_a_concern_recommended_again_in_2023_stands_as_raised_again(seed_data):
    """Updates are dated when the 2023 report came out, after its inspection began: where
    that report noted progress on a concern and also raised it again, raised again stands."""
    again = {link.later_id for link in recommended_again_in_2023()}
    council = LocalAuthority.objects.filter(events__findings__in=again).distinct().get()
    concerns = [
        concern
        for concern in read_concerns(council).concerns
        if any(entry.item.pk in again for entry in concern.chain)
    ]
    assert concerns
    for concern in concerns:
        assert concern.current.status == ConcernStatus.RAISED_AGAIN, concern.latest.text


def test_each_2019_recommendation_says_what_the_2023_report_found(seed_data):
    recommendations = Finding.objects.filter(
        kind=FindingKind.IMPROVEMENT,
        source__kind=SourceKind.REPORT,
        event__start_date__year=2019,
    )
    assert recommendations.exists()
    for recommendation in recommendations:
        assert recommendation.status_updates.filter(
            source__kind=SourceKind.REPORT, source__published_on__year=2023
        ).exists(), f"nothing from 2023 on {recommendation.text[:60]!r}"


def test_seed_loads_every_link_and_status_update_once(db):
    expected = Counter(record["model"] for record in json.loads(FIXTURE.read_text()))
    first, again = io.StringIO(), io.StringIO()
    call_command("seed", stdout=first)
    call_command("seed", stdout=again)
    assert ConcernLink.objects.count() == expected["inspections.concernlink"] > 0
    assert StatusUpdate.objects.count() == expected["inspections.statusupdate"] > 0
    assert f"Status updates: {expected['inspections.statusupdate']} added" in first.getvalue()
    assert "Status updates: 0 added" in again.getvalue()
