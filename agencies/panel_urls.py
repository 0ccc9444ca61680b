"""Staff panel URLs of the agencies app, mounted under /panel/ by portal/urls.py."""

app_name = "agencies_panel"

urlpatterns = []
