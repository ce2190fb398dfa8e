"""Staff screens « Familles »: find a family, read its whole file and its event log, edit it.

Guardians and children have screens of their own rather than inline panels: Family is a plain
model (not a ClusterableModel) and a child may belong to two households, so a child edited
from one file would silently change the other's; a screen per person says so and records the
edit on every family concerned.
"""

from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.columns import related_column
from core.staff import (
    ChangeOnlyPermissionHelper,
    EditView,
    InspectView,
    ModelAdminGroup,
    StaffModelAdmin,
    StrictIndexView,
)
from core.submit import form_submit

from ..errors import PortalError
from ..members import child_add, guardian_add
from ..models import Child, ConsentType, Family, Guardian, HealthRecord, QuotientRecord
from ..quotients.services import quotient_record_add
from ..rgpd.anonymise import anonymisation_refusal, family_anonymise
from .forms import CustodyForm, StaffChildForm, StaffGuardianForm, StaffQuotientForm
from .sections import file_sections
from .selectors import families_for_list, families_search, family_file_for_staff
from .services import family_view_record, membership_custody_set, staff_edit_save

TEMPLATES = "portal_features/families_admin"
LABELLED_MODELS = (Family, Guardian, Child, HealthRecord, QuotientRecord)


def field_label(name: str) -> str:
    """The label of a key of an event's data. Keys are whatever the service recorded: a
    field, a reverse relation ("signup_request": the request's id, which has no
    verbose_name), or a field removed since; none of them may break the file's screen."""
    for model in LABELLED_MODELS:
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        label = getattr(field, "verbose_name", None)
        if label is None and field.is_relation and field.related_model is not None:
            label = field.related_model._meta.verbose_name
        if label:
            return str(label)
    return name


def event_details(event) -> list[dict]:
    """An event's data as rows to read: {field: [old, new]} or {key: value}."""
    if not isinstance(event.data, dict):
        return []
    rows = []
    for key, value in event.data.items():
        if isinstance(value, list | tuple) and len(value) == 2:
            rows.append({"label": field_label(key), "old": value[0], "new": value[1]})
        else:
            rows.append({"label": field_label(key), "value": value})
    return rows


class EditOnlyPermissionHelper(ChangeOnlyPermissionHelper):
    """Families come from account requests and people from their files: staff edit, no more."""


class StaffEditView(EditView):
    """Applies the edit directly and records old → new on the family files concerned."""

    def families_concerned(self):
        raise NotImplementedError

    def edit_description(self) -> str:
        raise NotImplementedError

    def form_valid(self, form):
        self.instance, _changes = staff_edit_save(
            form=form,
            actor=self.request.user,
            families=self.families_concerned(),
            description=self.edit_description(),
        )
        messages.success(self.request, self.get_success_message(self.instance))
        return redirect(self.get_success_url())


class FamilyIndexView(StrictIndexView):
    def get_search_results(self, request, queryset, search_term):
        if not search_term:
            return queryset
        return families_search(queryset, search_term)


class FamilyInspectView(InspectView):
    def get(self, request, *args, **kwargs):
        family_view_record(family=self.instance, actor=request.user)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        file = family_file_for_staff(family=self.instance)
        for event in file["events"]:
            event.details = event_details(event)
        return super().get_context_data(
            **file, file_sections=file_sections(self.instance), **kwargs
        )


class FamilyEditView(StaffEditView):
    def families_concerned(self):
        return [self.instance]

    def edit_description(self):
        return _("Family file edited by staff.")

    def get_success_url(self):
        return self.url_helper.get_action_url("inspect", self.pk_quoted)


class FamilyAdmin(StaffModelAdmin):
    model = Family
    menu_label = gettext_lazy("Families")
    menu_icon = "group"
    list_display = ("number", "name", "city", "children_count", "guardian_emails", "status")
    list_filter = ("status",)
    # The search itself is FamilyIndexView's (across guardians and children); this turns it on.
    search_fields = ("name", "number")
    inspect_view_enabled = True
    index_view_class = FamilyIndexView
    inspect_view_class = FamilyInspectView
    edit_view_class = FamilyEditView
    inspect_template_name = f"{TEMPLATES}/family_inspect.html"
    permission_helper_class = EditOnlyPermissionHelper
    form_fields_exclude = ["created_at"]

    def get_queryset(self, request):
        return families_for_list(super().get_queryset(request))

    def quotient_view(self, request, instance_pk):
        """Staff record a QF (source "staff"); it replaces the one in force from its date."""
        family = get_object_or_404(Family, pk=instance_pk)
        if not self.permission_helper.user_can_edit_obj(request.user, family):
            raise PermissionDenied
        form = StaffQuotientForm(request.POST or None)
        response = form_submit(
            request,
            form,
            lambda data: quotient_record_add(
                family=family, source=QuotientRecord.Source.STAFF, actor=request.user, **data
            ),
            done=_("Quotient familial recorded."),
            then=self.url_helper.get_action_url("inspect", family.pk),
        )
        if response:
            return response
        return TemplateResponse(
            request,
            f"{TEMPLATES}/quotient_form.html",
            {"family": family, "form": form},
        )

    def _member_view(self, request, instance_pk, *, form_class, add, title, done):
        family = get_object_or_404(Family, pk=instance_pk)
        if not self.permission_helper.user_can_edit_obj(request.user, family):
            raise PermissionDenied
        form = form_class(request.POST or None)
        if request.method == "POST" and form.is_valid():
            values = {name: form.cleaned_data[name] for name in form._meta.fields}
            extra = {}
            if form_class is StaffChildForm:
                extra["link_known"] = form.cleaned_data["link_known"]
            try:
                with transaction.atomic():
                    add(family=family, values=values, actor=request.user, **extra)
            except PortalError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, done)
                return redirect(self.url_helper.get_action_url("inspect", family.pk))
        return TemplateResponse(
            request,
            f"{TEMPLATES}/member_form.html",
            {"family": family, "form": form, "title": title},
        )

    def child_add_view(self, request, instance_pk):
        """Staff add a child directly; one known in another household is linked, not
        created twice."""
        return self._member_view(
            request,
            instance_pk,
            form_class=StaffChildForm,
            add=child_add,
            title=_("Add a child"),
            done=_("Child added to the family."),
        )

    def guardian_add_view(self, request, instance_pk):
        return self._member_view(
            request,
            instance_pk,
            form_class=StaffGuardianForm,
            add=guardian_add,
            title=_("Add a guardian"),
            done=_("Guardian added to the family."),
        )

    def anonymise_view(self, request, instance_pk):
        """« Anonymiser »: a confirmation screen that says what stays and what goes."""
        family = get_object_or_404(Family, pk=instance_pk)
        if not self.permission_helper.user_can_edit_obj(request.user, family):
            raise PermissionDenied
        refusal = anonymisation_refusal(family)
        if request.method == "POST" and refusal is None:
            try:
                family_anonymise(family=family, actor=request.user)
            except PortalError as error:
                refusal = error.message
            else:
                messages.success(request, _("The family file is anonymised."))
                return redirect(self.url_helper.get_action_url("inspect", family.pk))
        return TemplateResponse(
            request,
            f"{TEMPLATES}/anonymise_confirm.html",
            {"family": family, "refusal": refusal},
        )

    def extra_admin_urls(self):
        return (
            *super().extra_admin_urls(),
            self.action_pattern("quotient", self.quotient_view),
            self.action_pattern("anonymise", self.anonymise_view),
            self.action_pattern("child_add", self.child_add_view),
            self.action_pattern("guardian_add", self.guardian_add_view),
        )

    children_count = related_column("children_total", gettext_lazy("Children"))

    def guardian_emails(self, obj):
        return ", ".join(g.email for g in obj.guardians.all() if g.email)

    guardian_emails.short_description = gettext_lazy("Guardians' e-mails")


class GuardianEditView(StaffEditView):
    def families_concerned(self):
        return [self.instance.family]

    def edit_description(self):
        return _("Guardian %(name)s edited by staff.") % {"name": self.instance.full_name}

    def get_success_url(self):
        return reverse("portal_features_family_modeladmin_inspect", args=[self.instance.family_id])


class GuardianAdmin(StaffModelAdmin):
    model = Guardian
    menu_label = gettext_lazy("Guardians")
    menu_icon = "user"
    list_display = ("last_name", "first_name", "email", "phone_mobile", "family")
    list_select_related = ("family",)
    search_fields = ("last_name", "first_name", "email", "family__name", "family__number")
    edit_view_class = GuardianEditView
    permission_helper_class = EditOnlyPermissionHelper
    # The login is the guardian's own (set through the account request), not staff's to move.
    form_fields_exclude = ["user", "family"]


class ChildEditView(StaffEditView):
    def families_concerned(self):
        return list(self.instance.families.all())

    def edit_description(self):
        return _("Child %(name)s edited by staff.") % {"name": str(self.instance)}

    def get_success_url(self):
        family = self.instance.families.order_by("pk").first()
        if family is None:
            return self.index_url
        return reverse("portal_features_family_modeladmin_inspect", args=[family.pk])


class ChildAdmin(StaffModelAdmin):
    model = Child
    menu_label = gettext_lazy("Children")
    menu_icon = "user"
    list_display = ("last_name", "first_name", "birth_date", "school_level", "family_names")
    search_fields = ("last_name", "first_name", "families__name", "families__number")
    edit_view_class = ChildEditView
    permission_helper_class = EditOnlyPermissionHelper

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("families")

    def custody_view(self, request, instance_pk):
        """Each household's custody rhythm for the child: who pays a day come unbooked."""
        child = get_object_or_404(Child, pk=instance_pk)
        if not self.permission_helper.user_can_edit_obj(request.user, child):
            raise PermissionDenied
        memberships = list(child.memberships.select_related("family").order_by("pk"))
        posted = None
        if request.method == "POST":
            posted = next(
                (m for m in memberships if str(m.pk) == request.POST.get("membership")), None
            )
        forms = [
            CustodyForm(request.POST if membership is posted else None, membership=membership)
            for membership in memberships
        ]
        for form in forms:
            if form.membership is posted and form.is_valid():
                try:
                    membership_custody_set(
                        membership=posted,
                        custody=form.cleaned_data["custody"],
                        weekdays=form.cleaned_data["custody_weekdays"],
                        actor=request.user,
                    )
                except PortalError as error:
                    form.add_error("custody_weekdays", error.message)
                else:
                    messages.success(request, _("Custody rhythm saved."))
                    return redirect(self.url_helper.get_action_url("custody", child.pk))
        return TemplateResponse(
            request,
            f"{TEMPLATES}/custody_form.html",
            {"child": child, "forms": forms},
        )

    def extra_admin_urls(self):
        return (
            *super().extra_admin_urls(),
            self.action_pattern("custody", self.custody_view),
        )

    def family_names(self, obj):
        return ", ".join(str(family) for family in obj.families.all())

    family_names.short_description = gettext_lazy("Families")


class ConsentTypeAdmin(StaffModelAdmin):
    model = ConsentType
    menu_label = gettext_lazy("Consent types")
    menu_icon = "tick-inverse"
    list_display = ("name", "is_active", "sort_order")
    list_filter = ("is_active",)
    search_fields = ("name",)


class FamiliesAdminGroup(ModelAdminGroup):
    menu_label = gettext_lazy("Families")
    menu_icon = "group"
    menu_order = 200
    items = (FamilyAdmin, GuardianAdmin, ChildAdmin, ConsentTypeAdmin)
