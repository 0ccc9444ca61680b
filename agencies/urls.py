from django.urls import path

from agencies import views
from core.caching import public_page
from news.caching import news_page

app_name = "agencies"

# Anonymous visits are cached until any program content changes (see core/caching.py).
urlpatterns = [
    path("", public_page(views.IndexView.as_view()), name="index"),
    path("<slug:slug>/", news_page(views.AgencyDetailView.as_view()), name="detail"),
]
