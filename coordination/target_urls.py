"""Staff URLs: see coordination/panel_urls.py."""

urlpatterns = []
