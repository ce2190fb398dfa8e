"""Portal screens; see reservations/urls.py."""

urlpatterns = []
