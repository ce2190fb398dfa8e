"""StreamField blocks editors combine in the body of standard and news pages."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    alt_text = blocks.CharBlock(
        label=_("Alternative text"),
        required=False,
        help_text=_("Describe the image for people who cannot see it; leave empty if decorative."),
    )
    caption = blocks.CharBlock(label=_("Caption"), required=False)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "cms/blocks/image_block.html"


class DocumentLinkBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Document"))
    title = blocks.CharBlock(
        label=_("Link text"), required=False, help_text=_("Defaults to the document's title.")
    )

    class Meta:
        icon = "doc-full"
        label = _("Document link")
        template = "cms/blocks/document_link_block.html"


class CallToActionBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Button text"))
    page = blocks.PageChooserBlock(label=_("Page"), required=False)
    url = blocks.URLBlock(label=_("External address"), required=False)

    class Meta:
        icon = "link"
        label = _("Call to action")
        template = "cms/blocks/call_to_action_block.html"

    def clean(self, value):
        value = super().clean(value)
        if not value.get("page") and not value.get("url"):
            raise blocks.StructBlockValidationError(
                block_errors={"page": [_("Choose a page or enter an external address.")]}
            )
        return value


class BodyBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(
        label=_("Heading"),
        form_classname="title",
        icon="title",
        template="cms/blocks/heading_block.html",
    )
    paragraph = blocks.RichTextBlock(
        label=_("Rich text"),
        features=["h3", "h4", "bold", "italic", "ol", "ul", "link", "document-link"],
    )
    image = ImageBlock()
    document = DocumentLinkBlock()
    call_to_action = CallToActionBlock()


class PortalTileBlock(blocks.StructBlock):
    """An entry tile on the home page towards a section of the family portal."""

    title = blocks.CharBlock(label=_("Title"))
    description = blocks.CharBlock(label=_("Description"), required=False)
    page = blocks.PageChooserBlock(label=_("Page"), required=False)
    url = blocks.CharBlock(label=_("Address"), required=False)
    icon = blocks.ChoiceBlock(
        label=_("Icon"),
        choices=[
            ("family", _("Family")),
            ("calendar", _("Calendar")),
            ("invoice", _("Invoice")),
            ("message", _("Message")),
            ("document", _("Document")),
            ("news", _("News")),
        ],
        default="family",
    )

    class Meta:
        icon = "grip"
        label = _("Portal tile")
        template = "cms/blocks/portal_tile_block.html"


class PageLinkBlock(blocks.StructBlock):
    page = blocks.PageChooserBlock(label=_("Page"))
    title = blocks.CharBlock(
        label=_("Link text"), required=False, help_text=_("Defaults to the page's title.")
    )

    class Meta:
        icon = "link"
        label = _("Page link")
        template = "cms/blocks/page_link_block.html"


class QuickLinksBlock(blocks.StreamBlock):
    document = DocumentLinkBlock()
    page = PageLinkBlock()
