"""Loading households from a spreadsheet (see household_panel_urls)."""

urlpatterns = []
