from django.urls import path

from core.caching import public_page
from neighbourhoods import views
from news.caching import news_page

app_name = "neighbourhoods"

# Anonymous visits are cached until any program content changes (see core/caching.py).
urlpatterns = [
    path("", public_page(views.NeighbourhoodListView.as_view()), name="index"),
    path(
        "city/<slug:slug>/",
        public_page(views.CityNeighbourhoodsView.as_view()),
        name="city",
    ),
    path("<str:code>/", news_page(views.NeighbourhoodDetailView.as_view()), name="detail"),
]
