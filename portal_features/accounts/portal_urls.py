from django.urls import path

from . import portal_views

app_name = "my_account"

urlpatterns = [
    path("", portal_views.account_overview, name="overview"),
]
