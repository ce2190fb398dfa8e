"""A visitor's journey through the demo commune's public site, in a real browser."""

import re

import pytest
from django.utils import translation
from playwright.sync_api import expect

from demo import commune
from demo.news import NEWS

pytestmark = pytest.mark.e2e

LATEST_NEWS = NEWS[0]  # the most recent item of the demo


def french(msgid: str) -> str:
    """The interface's label, as the French catalogue translates it."""
    with translation.override("fr"):
        return translation.gettext(msgid)


def test_home_news_and_document_download(demo_site, browser_page, tmp_path):
    page = browser_page
    page.goto(demo_site.url + "/")

    expect(page.get_by_role("banner")).to_contain_text(commune.NAME)
    latest_news = page.get_by_role("region", name=french("Latest news"))
    news_link = latest_news.get_by_role("link", name=LATEST_NEWS["title"], exact=True)
    expect(news_link).to_be_visible()

    news_link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(LATEST_NEWS["title"])
    expect(page.get_by_role("main")).to_contain_text(LATEST_NEWS["paragraphs"][0])
    more = page.get_by_role("link", name=french("Learn more"), exact=True)
    expect(more).to_have_attribute("href", re.compile(r"/enfance-jeunesse/$"))

    main_menu = page.get_by_role("navigation", name=french("Main menu"))
    main_menu.get_by_role("link", name="Documents à télécharger").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Documents à télécharger")
    for category in ("Tarifs", "Règlements de fonctionnement", "Inscriptions", "Menus"):
        expect(page.get_by_role("heading", level=2, name=category)).to_be_visible()

    download_link = page.get_by_role("link", name=re.compile("Règlement intérieur de l'accueil"))
    with page.expect_download() as download_info:
        download_link.click()
    saved = tmp_path / "document.pdf"
    download_info.value.save_as(saved)
    content = saved.read_bytes()
    assert content.startswith(b"%PDF")
    assert len(content) > 5_000


def test_the_home_page_on_a_phone_collapses_the_main_menu(demo_site, browser_page, tmp_path):
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(demo_site.url + "/")
    toggle = page.get_by_role("button", name=french("Menu"))
    expect(toggle).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    menu = page.get_by_role("navigation", name=french("Main menu"))
    expect(menu.get_by_role("link", name="Actualités")).to_be_hidden()
    screenshot = tmp_path / "home-phone.png"
    page.screenshot(path=screenshot, full_page=True)
    assert screenshot.stat().st_size > 10_000

    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(menu.get_by_role("link", name="Actualités")).to_be_visible()
