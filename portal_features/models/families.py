"""The household (Family), its adults (Guardian) and its children (Child)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.fields import choice_field, choices_check, created_at_field, optional_link, status_field
from core.models import OutsideReferenceIndex
from core.querysets import FamilyScopedQuerySet
from core.validators import phone_validator, postal_code_validator, validate_iban

from ..choices import FamilyStatus


def family_link(related_name: str, *, on_delete=models.CASCADE, **kwargs):
    """The family a row belongs to: deleted with it unless `on_delete` says otherwise."""
    return models.ForeignKey(
        "portal_features.Family",
        verbose_name=_("family"),
        on_delete=on_delete,
        related_name=related_name,
        **kwargs,
    )


def child_link(related_name: str, *, on_delete=models.CASCADE, **kwargs):
    """The child a row is about: deleted with it unless `on_delete` says otherwise."""
    return models.ForeignKey(
        "portal_features.Child",
        verbose_name=_("child"),
        on_delete=on_delete,
        related_name=related_name,
        **kwargs,
    )


class FamilyQuerySet(models.QuerySet):
    def for_user(self, user):
        """Families the user is a guardian of (one, nearly always)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(guardians__user=user)


class Family(OutsideReferenceIndex, models.Model):
    """The household account: one number, one address, one tariff situation (its quotient
    familial lives in dated records, `QuotientRecord`)."""

    class BenefitsRegime(models.TextChoices):
        CAF = "caf", _("CAF")
        MSA = "msa", _("MSA")
        OTHER = "other", _("Other regime")
        NONE = "none", _("None")

    Status = FamilyStatus

    number = models.CharField(_("family number"), max_length=20, unique=True, editable=False)
    name = models.CharField(
        _("family name"), max_length=150, help_text=_("As shown to staff, e.g. “DUPONT”.")
    )
    status = status_field(Status, max_length=20, default=Status.ACTIVE)
    address_line = models.CharField(_("address"), max_length=255, blank=True)
    address_complement = models.CharField(_("address complement"), max_length=255, blank=True)
    postal_code = models.CharField(
        _("postal code"), max_length=5, blank=True, validators=[postal_code_validator]
    )
    city = models.CharField(_("city"), max_length=120, blank=True)
    is_resident = models.BooleanField(
        _("lives in the commune"),
        default=True,
        help_text=_("Residents and non-residents may have different tariffs."),
    )
    benefits_regime = choice_field(
        _("benefits regime"), BenefitsRegime, max_length=10, default=BenefitsRegime.CAF
    )
    benefits_number = models.CharField(_("CAF/MSA beneficiary number"), max_length=20, blank=True)
    bank_account_holder = models.CharField(_("account holder"), max_length=150, blank=True)
    iban = models.CharField(_("IBAN"), max_length=34, blank=True, validators=[validate_iban])
    bic = models.CharField(_("BIC"), max_length=11, blank=True)
    created_at = created_at_field(_("created at"), editable=False)

    objects = FamilyQuerySet.as_manager()

    class Meta:
        verbose_name = _("family")
        verbose_name_plural = _("families")
        ordering = ["name", "number"]
        constraints = [
            choices_check("status", FamilyStatus, name="family_status_valid"),
        ]

    def __str__(self):
        return f"{self.name} ({self.number})"


class Guardian(OutsideReferenceIndex, models.Model):
    """An adult of the household ("responsable légal"); may have a login of their own."""

    class Civility(models.TextChoices):
        MADAME = "mme", _("Ms")
        MONSIEUR = "m", _("Mr")

    class Role(models.TextChoices):
        MOTHER = "mother", _("Mother")
        FATHER = "father", _("Father")
        GUARDIAN = "guardian", _("Legal guardian")
        SPOUSE = "spouse", _("Spouse or partner")
        OTHER = "other", _("Other")

    class MaritalStatus(models.TextChoices):
        MARRIED = "married", _("Married")
        CIVIL_UNION = "civil_union", _("Civil union (PACS)")
        COHABITING = "cohabiting", _("Cohabiting")
        SINGLE = "single", _("Single")
        SEPARATED = "separated", _("Separated")
        DIVORCED = "divorced", _("Divorced")
        WIDOWED = "widowed", _("Widowed")

    family = family_link("guardians")
    user = optional_link(
        settings.AUTH_USER_MODEL, _("account"), one_to_one=True, related_name="guardian"
    )
    is_primary = models.BooleanField(_("primary guardian"), default=False)
    civility = choice_field(_("civility"), Civility, max_length=5)
    last_name = models.CharField(_("last name"), max_length=150)
    first_name = models.CharField(_("first name"), max_length=150)
    role = choice_field(_("relationship"), Role, max_length=20)
    marital_status = choice_field(_("marital status"), MaritalStatus, max_length=20, blank=True)
    address_line = models.CharField(
        _("address"), max_length=255, blank=True, help_text=_("Leave empty if it is the family's.")
    )
    postal_code = models.CharField(
        _("postal code"), max_length=5, blank=True, validators=[postal_code_validator]
    )
    city = models.CharField(_("city"), max_length=120, blank=True)
    phone_mobile = models.CharField(
        _("mobile phone"), max_length=20, blank=True, validators=[phone_validator]
    )
    phone_home = models.CharField(
        _("home phone"), max_length=20, blank=True, validators=[phone_validator]
    )
    phone_work = models.CharField(
        _("work phone"), max_length=20, blank=True, validators=[phone_validator]
    )
    email = models.EmailField(_("e-mail"), blank=True)
    profession = models.CharField(_("profession"), max_length=150, blank=True)
    employer = models.CharField(_("employer"), max_length=150, blank=True)
    consents_to_email = models.BooleanField(_("agrees to receive e-mails"), default=True)
    consents_to_sms = models.BooleanField(_("agrees to receive text messages"), default=False)

    class Meta:
        verbose_name = _("guardian")
        verbose_name_plural = _("guardians")
        ordering = ["-is_primary", "last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["family"],
                condition=models.Q(is_primary=True),
                name="guardian_one_primary_per_family",
            ),
        ]

    def __str__(self):
        return f"{self.get_civility_display()} {self.first_name} {self.last_name}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class ChildQuerySet(FamilyScopedQuerySet):
    # A child may belong to two households: each sees it through its own membership.
    family_field = "memberships__family"


class Child(OutsideReferenceIndex, models.Model):
    """A child; belongs to one household, or two when parents live apart."""

    class Sex(models.TextChoices):
        FEMALE = "f", _("Girl")
        MALE = "m", _("Boy")

    class SchoolLevel(models.TextChoices):
        NONE = "", _("Not at school")
        PS = "ps", _("Petite section")
        MS = "ms", _("Moyenne section")
        GS = "gs", _("Grande section")
        CP = "cp", _("CP")
        CE1 = "ce1", _("CE1")
        CE2 = "ce2", _("CE2")
        CM1 = "cm1", _("CM1")
        CM2 = "cm2", _("CM2")
        COLLEGE = "college", _("Secondary school")

    last_name = models.CharField(_("last name"), max_length=150)
    first_name = models.CharField(_("first name"), max_length=150)
    birth_date = models.DateField(_("date of birth"))
    sex = choice_field(_("sex"), Sex, max_length=1)
    school = models.CharField(_("school"), max_length=150, blank=True)
    school_level = choice_field(_("class"), SchoolLevel, max_length=10, blank=True)
    families = models.ManyToManyField(
        Family, through="ChildMembership", related_name="children", verbose_name=_("families")
    )

    objects = ChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("child")
        verbose_name_plural = _("children")
        ordering = ["birth_date", "first_name"]

    def __str__(self):
        return f"{self.first_name} {self.last_name}"


class Custody(models.TextChoices):
    """Which days a household has the child, when the child lives in two (ISO weeks)."""

    NONE = "none", _("No set rhythm")
    ODD_WEEKS = "odd_weeks", _("Odd weeks")
    EVEN_WEEKS = "even_weeks", _("Even weeks")
    WEEKDAYS = "weekdays", _("Given weekdays")


WEEKDAY_NAMES = [
    _("Monday"),
    _("Tuesday"),
    _("Wednesday"),
    _("Thursday"),
    _("Friday"),
    _("Saturday"),
    _("Sunday"),
]


class ChildMembership(OutsideReferenceIndex, models.Model):
    """A child in a household. Two rows for a child whose separated parents share custody;
    `custody` says which days are this household's (who pays a day the child came unbooked)."""

    child = child_link("memberships")
    family = family_link("memberships")
    custody = choice_field(_("custody rhythm"), Custody, max_length=12, default=Custody.NONE)
    custody_weekdays = models.JSONField(
        _("custody weekdays"),
        default=list,
        blank=True,
        help_text=_("For “given weekdays”: 0 = Monday … 6 = Sunday."),
    )
    custody_notes = models.CharField(
        _("custody arrangement"),
        max_length=255,
        blank=True,
        help_text=_("E.g. “alternate weeks, even weeks with the father”."),
    )

    class Meta:
        verbose_name = _("child in a family")
        verbose_name_plural = _("children in families")
        constraints = [
            models.UniqueConstraint(fields=["child", "family"], name="child_membership_unique"),
            choices_check("custody", Custody, name="child_membership_custody_valid"),
        ]

    def __str__(self):
        return f"{self.child} – {self.family}"

    def clean(self):
        super().clean()
        days = self.custody_weekdays
        if self.custody != Custody.WEEKDAYS:
            self.custody_weekdays = []
            return
        valid = (
            isinstance(days, list)
            and days
            and all(isinstance(day, int) and not isinstance(day, bool) for day in days)
            and all(0 <= day <= 6 for day in days)
            and len(set(days)) == len(days)
        )
        if not valid:
            raise ValidationError(
                {
                    "custody_weekdays": _(
                        "Choose the weekdays of this household (0 to 6, once each)."
                    )
                }
            )
        self.custody_weekdays = sorted(days)

    def covers(self, day) -> bool:
        """This household's rhythm gives it the child on `day`."""
        if self.custody == Custody.ODD_WEEKS:
            return day.isocalendar().week % 2 == 1
        if self.custody == Custody.EVEN_WEEKS:
            return day.isocalendar().week % 2 == 0
        if self.custody == Custody.WEEKDAYS:
            return day.weekday() in (self.custody_weekdays or [])
        return False

    @property
    def custody_display(self) -> str:
        """The rhythm as staff read it: « Semaines impaires », « Lundi, mardi »…"""
        if self.custody == Custody.WEEKDAYS:
            return ", ".join(
                str(WEEKDAY_NAMES[day]) for day in self.custody_weekdays or [] if 0 <= day <= 6
            )
        return str(self.get_custody_display())
