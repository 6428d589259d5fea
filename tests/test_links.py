"""Links to event and theme pages, built from a cached pattern, match reverse() exactly."""

import pytest
from django.urls import NoReverseMatch, clear_script_prefix, reverse, set_script_prefix

from inspections.links import slug_url


@pytest.mark.parametrize("url_name", ["inspections:event", "inspections:theme"])
@pytest.mark.parametrize("slug", ["west-sussex-2019", "a", "slug-placeholder-2", "9_x"])
def test_a_link_is_the_address_the_urlconf_gives(url_name, slug):
    assert slug_url(url_name, slug) == reverse(url_name, args=[slug])


def test_a_site_served_under_a_prefix_links_under_it():
    try:
        set_script_prefix("/ofsted/")
        assert slug_url("inspections:event", "west-sussex-2019") == (
            "/ofsted/events/west-sussex-2019/"
        )
    finally:
        clear_script_prefix()
    assert slug_url("inspections:event", "west-sussex-2019") == "/events/west-sussex-2019/"


@pytest.mark.parametrize("slug", ["", "a/b", "a b", "../x"])
def test_a_value_that_is_not_a_slug_is_refused_as_reverse_refuses_it(slug):
    with pytest.raises(NoReverseMatch):
        slug_url("inspections:event", slug)
