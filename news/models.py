"""News ("Actualités"): an index page of news pages, with categories and an RSS feed."""

import re

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.images import get_image_model
from wagtail.models import Page, PageManager, PageQuerySet
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from cms.blocks import BodyBlock
from cms.page_cache import cached_until_purge
from cms.page_serving import OneQueryViewRestrictionsMixin
from cms.selectors import exclude_private
from core.fields import optional_link


@register_snippet
class NewsCategory(models.Model):
    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)

    panels = [FieldPanel("name"), FieldPanel("slug")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("news category")
        verbose_name_plural = _("news categories")

    def __str__(self):
        return self.name


class NewsPageQuerySet(PageQuerySet):
    def published(self):
        # exclude_private: the same as .public() without a query of its own.
        return exclude_private(self.live()).filter(date__lte=timezone.localdate())

    def newest_first(self):
        return self.order_by("-date", "-first_published_at", "-pk")

    def prefetch_renditions(self, *filter_specs: str):
        """Fetch the renditions of the news images in one query, as Wagtail's image querysets do."""
        renditions = (
            get_image_model().get_rendition_model().objects.filter(filter_spec__in=filter_specs)
        )
        return self.prefetch_related(
            models.Prefetch(
                "image__renditions", queryset=renditions, to_attr="prefetched_renditions"
            )
        )

    def latest_for_site(self, home_page, *, limit: int):
        return (
            self.published()
            .descendant_of(home_page)
            .newest_first()
            .select_related("category", "image")
            .prefetch_renditions("fill-480x270")[:limit]
        )


NewsPageManager = PageManager.from_queryset(NewsPageQuerySet)

# What a page's slug may be (Wagtail's unicode slugs); any other address under the index is no
# news item, and is not worth a cache key.
SLUG = re.compile(r"[-\w]+")


class NewsIndexPage(OneQueryViewRestrictionsMixin, RoutablePageMixin, Page):
    """The list of news ("Actualités"), newest first, filterable by category."""

    intro = models.TextField(_("introduction"), blank=True)
    per_page = models.PositiveSmallIntegerField(_("news per page"), default=10)

    parent_page_types = ["cms.HomePage", "cms.StandardPage"]
    subpage_types = ["news.NewsPage"]
    # The filter and the pagination; the anonymous page cache keys on these alone.
    reads_query_params = ("categorie", "page")

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("per_page")]

    class Meta:
        verbose_name = _("news index")
        verbose_name_plural = _("news indexes")

    def news(self):
        return (
            NewsPage.objects.child_of(self)
            .published()
            .newest_first()
            .select_related("category", "image")
        )

    def route(self, request, path_components):
        # A news item with its image, category and view restrictions, read once per
        # publication (cms.page_cache), instead of Wagtail's child lookup, `.specific`, the
        # image and the restrictions on every rendering.
        if len(path_components) == 1 and SLUG.fullmatch(path_components[0]):
            slug = path_components[0]
            news = cached_until_purge(f"news-item:{self.pk}:{slug}", lambda: self._news_item(slug))
            if news is not None:
                return news.route(request, [])
        return super().route(request, path_components)

    def _news_item(self, slug: str):
        news = (
            NewsPage.objects.child_of(self)
            .live()
            .select_related("image", "category")
            .filter(slug=slug)
            .first()
        )
        return news.keep_view_restrictions() if news is not None else None

    @path("")
    def index_route(self, request):
        from .views import news_index

        return news_index(request, self)

    @path("rss/")
    def rss_route(self, request):
        from .feeds import NewsFeed

        return NewsFeed(self)(request)


class NewsPage(OneQueryViewRestrictionsMixin, Page):
    date = models.DateField(_("date"), default=timezone.localdate)
    intro = models.TextField(_("summary"), max_length=400)
    image = optional_link("wagtailimages.Image", _("image"))
    image_alt = models.CharField(
        _("alternative text of the image"),
        max_length=250,
        blank=True,
        help_text=_("Describe the image for people who cannot see it; leave empty if decorative."),
    )
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)
    category = optional_link(NewsCategory, _("category"), related_name="news")
    more_info_page = optional_link("wagtailcore.Page", _("“Learn more” page"))
    more_info_url = models.URLField(_("“Learn more” address"), blank=True)

    objects = NewsPageManager()

    parent_page_types = ["news.NewsIndexPage"]
    subpage_types = []
    reads_query_params = ()

    content_panels = Page.content_panels + [
        FieldPanel("date"),
        FieldPanel("category"),
        FieldPanel("intro"),
        MultiFieldPanel([FieldPanel("image"), FieldPanel("image_alt")], heading=_("Image")),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("more_info_page"), FieldPanel("more_info_url")],
            heading=_("Learn more"),
        ),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("intro"),
        index.SearchField("body"),
        index.FilterField("date"),
    ]

    class Meta:
        verbose_name = _("news item")
        verbose_name_plural = _("news items")
        ordering = ["-date"]

    @property
    def more_info_link(self) -> str:
        """The "Learn more" target: the chosen page while it is live, else the address."""
        if self.more_info_page_id and self.more_info_page.live:
            return self.more_info_page.url
        return self.more_info_url
