"""Staff panel URLs of coordination, mounted under /panel/coordination/ by portal/urls.py.

Each part of the app keeps its own list; they share one namespace.
"""

from coordination import activity_urls, division_urls, report_urls, target_urls

app_name = "coordination_panel"

urlpatterns = [
    *report_urls.urlpatterns,  # the parallel-work report: /panel/coordination/
    *division_urls.urlpatterns,  # the division of labour: division/
    *target_urls.urlpatterns,  # yearly targets: targets/
    *activity_urls.urlpatterns,  # what the other agencies did here: activity/
]
