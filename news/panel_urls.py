"""Staff panel URLs of the news app, mounted under /panel/ by portal/urls.py."""

app_name = "news_panel"

urlpatterns = []
