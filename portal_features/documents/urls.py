from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("", views.document_list, name="list"),
    path("send/", views.document_upload, name="upload"),
    path("<id:document_id>/download/", views.document_download, name="download"),
]
