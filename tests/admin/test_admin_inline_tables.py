"""An inspection's inline tables (sources, judgements, findings, figures, statements) fit
the change form on a laptop, and on a phone each scrolls inside its own box: the page
itself never scrolls sideways."""

import pytest

from inspections.choices import FindingKind, Grade, JudgementArea

from ..admin_support import PASSWORD, make_editor
from ..builders import (
    make_authority,
    make_figure,
    make_finding,
    make_inspection,
    make_judgement,
    make_statement,
    make_theme,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GROUPS = ["event_sources", "judgements", "findings", "figures", "statements"]


@pytest.fixture
def inspection():
    authority = make_authority(name="Testshire County Council")
    inspection = make_inspection(authority, title="Inspection with long facts")
    make_judgement(inspection, JudgementArea.OVERALL, Grade.REQUIRES_IMPROVEMENT)
    make_judgement(inspection, JudgementArea.HELP_AND_PROTECTION, Grade.REQUIRES_IMPROVEMENT)
    theme = make_theme(name="Quality and consistency of practice")
    long_text = "Managers do not always make sure that plans are clear and reviewed. " * 3
    make_finding(inspection, theme, long_text, kind=FindingKind.IMPROVEMENT)
    make_figure(inspection, label="Children in need of protection visited within five days")
    make_statement(inspection, text="We accept every recommendation in full. " * 3)
    return inspection


def open_change_form(live_server, page, inspection, width: int):
    make_editor("eddie")
    page.set_default_timeout(60_000)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}/admin/")
    page.fill("#id_username", "eddie")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.goto(f"{live_server.url}/admin/inspections/inspection/{inspection.pk}/change/")
    # The collapsed groups (figures, statements) are opened, as an editor would.
    page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")


def widths(page) -> dict[str, tuple[int, int]]:
    """Each inline group's table width beside the width of its box."""
    return page.evaluate(
        """(groups) => Object.fromEntries(groups.map(name => {
            const box = document.getElementById(name + '-group');
            return [name, [box.querySelector('table').scrollWidth, box.clientWidth]];
        }))""",
        GROUPS,
    )


def test_on_a_laptop_every_inline_table_fits_the_form(live_server, page, inspection):
    open_change_form(live_server, page, inspection, 1280)
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    for name, (table, box) in widths(page).items():
        assert table <= box, f"{name}: a {table}px table in a {box}px box"


def test_on_a_phone_each_inline_table_scrolls_in_its_own_box(live_server, page, inspection):
    open_change_form(live_server, page, inspection, 375)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    wide = {name: sizes for name, sizes in widths(page).items() if sizes[0] > sizes[1]}
    assert wide, "no table is wider than a phone: nothing here to scroll"
    for name in wide:
        box = page.locator(f"#{name}-group")
        assert box.evaluate("el => getComputedStyle(el).overflowX") in ("auto", "scroll")
        box.evaluate("el => { el.scrollLeft = 200; }")
        assert box.evaluate("el => el.scrollLeft") > 0, name
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
