from django.urls import path

from . import views

app_name = "rgpd"

urlpatterns = [
    path("", views.export, name="export"),
    path("<id:export_id>/download/", views.export_download, name="download"),
]
