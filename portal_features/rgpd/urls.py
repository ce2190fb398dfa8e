app_name = "rgpd"

urlpatterns = []
