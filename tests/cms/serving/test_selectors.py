"""cms.selectors: the reads behind the menu, breadcrumbs and the news on the home page."""

import pytest
from django.test import RequestFactory
from wagtail.models import Page, PageViewRestriction

from cms.selectors import exclude_private, site_sections
from tests.factories import StandardPageFactory

pytestmark = pytest.mark.django_db


def test_exclude_private_matches_wagtails_public(home_page):
    open_section = StandardPageFactory(parent=home_page, slug="ouvert")
    StandardPageFactory(parent=open_section, slug="ouvert-enfant")
    private = StandardPageFactory(parent=home_page, slug="prive")
    private_child = StandardPageFactory(parent=private, slug="prive-enfant")
    StandardPageFactory(parent=private_child, slug="prive-petit-enfant")
    # A later sibling of the private section stays public.
    StandardPageFactory(parent=home_page, slug="voisin")
    PageViewRestriction.objects.create(page=private, restriction_type="login")

    ours = set(exclude_private(Page.objects.all()).values_list("slug", flat=True))

    assert ours == set(Page.objects.public().values_list("slug", flat=True))
    assert {"prive", "prive-enfant", "prive-petit-enfant"}.isdisjoint(ours)
    assert {"accueil", "ouvert", "ouvert-enfant", "voisin"} <= ours


def test_exclude_private_keeps_everything_without_restrictions(home_page):
    StandardPageFactory(parent=home_page)

    assert exclude_private(Page.objects.all()).count() == Page.objects.count()


def test_site_sections_are_read_once_per_request(home_page, django_assert_num_queries):
    StandardPageFactory(parent=home_page, title="Enfance")
    request = RequestFactory().get("/", HTTP_HOST="localhost")
    site_sections(request)  # the first call reads the site and the sections

    with django_assert_num_queries(0):
        titles = [page.title for page in site_sections(request)]

    assert titles == ["Enfance"]
