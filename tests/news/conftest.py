import datetime

import pytest

from tests.factories import NewsCategoryFactory, NewsIndexPageFactory, NewsPageFactory


@pytest.fixture
def news_index(home_page):
    return NewsIndexPageFactory(parent=home_page)


@pytest.fixture
def school(db):
    return NewsCategoryFactory(name="École", slug="ecole")


@pytest.fixture
def culture(db):
    return NewsCategoryFactory(name="Culture", slug="culture")


@pytest.fixture
def make_news(news_index):
    """Creates news in the index, `days_ago` days before today (newest first when 0, 1, 2…)."""

    def make(*, days_ago=0, parent=None, **kwargs):
        date = datetime.date.today() - datetime.timedelta(days=days_ago)
        return NewsPageFactory(parent=parent or news_index, date=date, **kwargs)

    return make
