from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "news"
    verbose_name = _("News")

    def ready(self):
        from cms import staff_groups
        from cms.home_sections import PORTAL_HOME, PUBLIC_HOME, register_home_section
        from cms.page_cache import register_purging_model

        from .home_section import latest_news_section
        from .models import NewsCategory

        # Categories show on every news card: renaming one changes public pages.
        register_purging_model(NewsCategory)
        register_home_section(
            "news/includes/home_section.html",
            latest_news_section,
            places=(PUBLIC_HOME, PORTAL_HOME),
            order=60,
        )
        staff_groups.grant(
            staff_groups.COMMUNICATION,
            "news.add_newscategory",
            "news.change_newscategory",
            "news.delete_newscategory",
        )
