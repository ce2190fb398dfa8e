"""« Mon compte » in the portal's menu: one page linking what a parent manages about their
own login (password, e-mail address), how they are told (e-mail and SMS preferences, kept on
their guardian record) and the family's data export."""

from django.views.decorators.http import require_GET

from portal_features.models import Guardian
from portal_features.portal.family import family_required
from portal_features.portal.views import portal_render


@require_GET
@family_required
def account_overview(request):
    guardian = (
        Guardian.objects.filter(family=request.family, user=request.user).order_by("pk").first()
    )
    return portal_render(
        request, "portal_features/accounts/my_account.html", {"guardian": guardian}
    )
