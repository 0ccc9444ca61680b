"""Staff panel URLs of the household registry, mounted under /panel/households/ by
portal/urls.py. Each part keeps its own list; they share one namespace. No URL carries a
national ID or a name: households are named by their row number."""

from agencies import household_import_urls, household_urls

app_name = "households_panel"

urlpatterns = [
    *household_urls.urlpatterns,  # list, register, find by national ID, a household, the log
    *household_import_urls.urlpatterns,  # loading a spreadsheet of households: import/
]
