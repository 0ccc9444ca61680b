from django.urls import path

from core.caching import public_page
from exhibition import views

app_name = "exhibition"

urlpatterns = [
    path("", public_page(views.IndexView.as_view(), params=("page",)), name="index"),
    path(
        "<slug:slug>/",
        public_page(
            views.ExhibitionDetailView.as_view(), params=("agency", "city", "kind", "page")
        ),
        name="detail",
    ),
    path(
        "<slug:slug>/booths/<int:pk>/",
        public_page(views.BoothDetailView.as_view(), params=("kind", "page")),
        name="booth",
    ),
    path(
        "<slug:slug>/exhibits/<int:pk>/",
        public_page(views.ExhibitDetailView.as_view()),
        name="exhibit",
    ),
]
