"""Pages of the public site (every page factory derives from PageFactory), images."""

import factory
from wagtail.images.tests.utils import get_test_image_file

from cms.models import StandardPage


class PageFactory(factory.django.DjangoModelFactory):
    """Creates a page as a child of `parent` (required), live and published."""

    class Meta:
        abstract = True

    title = factory.Sequence(lambda n: f"Page {n}")
    live = True

    @classmethod
    def _create(cls, model_class, *args, parent, **kwargs):
        page = model_class(*args, **kwargs)
        parent.add_child(instance=page)
        page.save_revision().publish()
        return page


class StandardPageFactory(PageFactory):
    class Meta:
        model = StandardPage

    intro = "Informations pratiques"


class ImageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "wagtailimages.Image"

    title = factory.Sequence(lambda n: f"Image {n}")
    file = factory.LazyFunction(get_test_image_file)


def _contact_form_fields():
    from cms.models import ContactFormField

    return [
        ContactFormField(label="Nom", field_type="singleline", required=True, sort_order=0),
        ContactFormField(label="Courriel", field_type="email", required=True, sort_order=1),
        ContactFormField(label="Message", field_type="multiline", required=True, sort_order=2),
    ]


class ContactPageFactory(PageFactory):
    """The "Nous contacter" page, with a name, an e-mail and a message field."""

    class Meta:
        model = "cms.ContactPage"

    title = "Nous contacter"
    slug = "nous-contacter"
    intro = "<p>Écrivez au service enfance-jeunesse.</p>"
    thank_you_text = "<p>Merci, nous vous répondrons sous 48 heures.</p>"
    to_address = "enfance@mairie.example.fr"
    from_address = "portail@mairie.example.fr"
    subject = "Message du site"
    form_fields = factory.LazyFunction(_contact_form_fields)
