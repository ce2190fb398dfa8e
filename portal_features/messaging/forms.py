"""Forms of the "Messagerie": a new conversation and a reply, each with up to 3 files."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.uploads import check_upload

from .selectors import themes_open_to_families
from .services import MAX_ATTACHMENTS

ACCEPTED_FILES = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"
ATTACHMENT_FIELDS = [f"attachment_{number}" for number in range(1, MAX_ATTACHMENTS + 1)]


class ThemeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.service.name} – {obj.name}"


class AttachmentsMixin:
    """Three optional file inputs, each checked by content; `attachments` lists the files."""

    def add_attachment_fields(self):
        for number, name in enumerate(ATTACHMENT_FIELDS, start=1):
            self.fields[name] = forms.FileField(
                label=_("Attachment %(number)d") % {"number": number},
                required=False,
                help_text=_("PDF, JPEG or PNG, 6 MB at most.") if number == 1 else "",
                widget=forms.ClearableFileInput(attrs={"accept": ACCEPTED_FILES}),
            )

    def clean(self):
        cleaned = super().clean()
        for name in ATTACHMENT_FIELDS:
            upload = cleaned.get(name)
            if upload:
                try:
                    check_upload(upload)
                except forms.ValidationError as error:
                    self.add_error(name, error)
        return cleaned

    @property
    def attachments(self):
        return [
            self.cleaned_data[name] for name in ATTACHMENT_FIELDS if self.cleaned_data.get(name)
        ]

    def attachment_fields(self):
        return [self[name] for name in ATTACHMENT_FIELDS]


class ThreadStartForm(AttachmentsMixin, forms.Form):
    theme = ThemeChoiceField(
        label=_("Service and theme"),
        queryset=themes_open_to_families(),
        empty_label=_("Choose…"),
    )
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 8}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_attachment_fields()


class ReplyForm(AttachmentsMixin, forms.Form):
    body = forms.CharField(label=_("Your reply"), widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_attachment_fields()
