from django.urls import path

from core.caching import Topic, public_page
from neighbourhoods import views

app_name = "neighbourhoods"

# Anonymous visits are cached until the content changes (core/caching.py). The page of one
# neighbourhood, /neighbourhoods/<code>/, is added by portal/urls.py.
urlpatterns = [
    path(
        "",
        public_page(
            views.NeighbourhoodListView.as_view(), params=("q", "page"), topics=(Topic.PROGRAM,)
        ),
        name="index",
    ),
    path(
        "city/<slug:slug>/",
        public_page(
            views.CityNeighbourhoodsView.as_view(), params=("page",), topics=(Topic.PROGRAM,)
        ),
        name="city",
    ),
]
