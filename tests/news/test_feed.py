"""The RSS feed of a news index, at <index url>rss/."""

from defusedxml import ElementTree as ET

from tests.factories import NewsIndexPageFactory


def fetch_feed(client, index):
    response = client.get(f"{index.url}rss/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    return ET.fromstring(response.content).find("channel")


def test_feed_lists_published_news_newest_first(client, news_index, make_news):
    make_news(title="Ancienne", days_ago=10)
    make_news(title="Récente", days_ago=0)
    make_news(title="Moyenne", days_ago=5)
    make_news(title="Retirée").unpublish()
    make_news(title="Programmée", days_ago=-2)

    channel = fetch_feed(client, news_index)

    assert channel.findtext("title") == "Actualités"
    assert [item.findtext("title") for item in channel.findall("item")] == [
        "Récente",
        "Moyenne",
        "Ancienne",
    ]


def test_feed_links_are_absolute(client, news_index, make_news, school):
    news = make_news(title="Rentrée", intro="Le point sur la rentrée.", category=school)

    channel = fetch_feed(client, news_index)

    assert channel.findtext("link") == f"http://testserver{news_index.url}"
    item = channel.find("item")
    assert item.findtext("link") == f"http://testserver{news.url}"
    assert item.findtext("description") == "Le point sur la rentrée."
    assert item.findtext("category") == "École"
    assert item.findtext("pubDate")


def test_feed_holds_only_its_own_index(client, home_page, news_index, make_news):
    other_index = NewsIndexPageFactory(parent=home_page, slug="autres")
    make_news(title="Ici")
    make_news(title="Ailleurs", parent=other_index)

    channel = fetch_feed(client, news_index)

    assert [item.findtext("title") for item in channel.findall("item")] == ["Ici"]
