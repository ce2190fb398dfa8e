from django.urls import path

from . import views

app_name = "messaging"

urlpatterns = [
    path("", views.thread_list, name="thread_list"),
    path("new/", views.thread_new, name="thread_new"),
    path("<id:thread_id>/", views.thread_detail, name="thread_detail"),
    path("attachments/<id:attachment_id>/", views.attachment_download, name="attachment_download"),
]
