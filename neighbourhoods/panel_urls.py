"""Staff panel URLs of the neighbourhoods app, mounted under /panel/ by portal/urls.py."""

app_name = "neighbourhoods_panel"

urlpatterns = []
