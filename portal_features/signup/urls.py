from django.urls import path

from . import views

app_name = "signup"

urlpatterns = [
    path("", views.SignupView.as_view(), name="signup"),
    path("received/", views.SignupReceivedView.as_view(), name="received"),
]
