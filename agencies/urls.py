from django.urls import path

from agencies import views
from core.caching import public_page

app_name = "agencies"

# Anonymous visits are cached until the content changes (core/caching.py). The page of one
# agency, /agencies/<slug>/, is added by portal/urls.py.
urlpatterns = [
    path("", public_page(views.IndexView.as_view()), name="index"),
]
