from django.urls import path

from agencies import views
from news.caching import news_page
from portal.caching import public_page

app_name = "agencies"

# Anonymous visits are cached until any program content changes (see portal/caching.py).
urlpatterns = [
    path("", public_page(views.IndexView.as_view()), name="index"),
    path("<slug:slug>/", news_page(views.AgencyDetailView.as_view()), name="detail"),
]
