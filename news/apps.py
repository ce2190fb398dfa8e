from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "news"
    verbose_name = _("News")

    def ready(self):
        from cms.home_sections import PORTAL_HOME, PUBLIC_HOME
        from cms.public_categories import register_public_listing

        from .home_section import latest_news_section
        from .models import NewsCategory

        # Categories show on every news card: renaming one changes public pages.
        register_public_listing(
            NewsCategory,
            "news/includes/home_section.html",
            latest_news_section,
            places=(PUBLIC_HOME, PORTAL_HOME),
            order=60,
        )
