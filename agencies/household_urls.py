"""The household registry's own pages (see household_panel_urls)."""

urlpatterns = []
