from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.AccountLoginView.as_view(), name="login"),
    path("logout/", views.AccountLogoutView.as_view(), name="logout"),
    path("password-reset/", views.AccountPasswordResetView.as_view(), name="password_reset"),
    path(
        "password-reset/sent/",
        views.AccountPasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password-reset/complete/",
        views.AccountPasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        views.AccountPasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("password/", views.AccountPasswordChangeView.as_view(), name="password_change"),
    path(
        "password/changed/",
        views.AccountPasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("email/", views.EmailChangeView.as_view(), name="email_change"),
    path("email/sent/", views.EmailChangeSentView.as_view(), name="email_change_sent"),
    path(
        "email/confirm/<str:token>/",
        views.EmailChangeConfirmView.as_view(),
        name="email_change_confirm",
    ),
    path("email/changed/", views.EmailChangeDoneView.as_view(), name="email_change_done"),
]
