app_name = "family_file"

urlpatterns = []
