"""Staff panel URLs of the exhibition app, mounted under /panel/ by portal/urls.py."""

app_name = "exhibition_panel"

urlpatterns = []
