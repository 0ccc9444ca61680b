from django.urls import path

from core.caching import Topic, public_page
from exhibition import views

app_name = "exhibition"

# Exhibition pages show only the exhibition's content (names of agencies and places change
# through the admin, which makes every page stale).
EXHIBITION = (Topic.EXHIBITION,)

urlpatterns = [
    path(
        "",
        public_page(views.IndexView.as_view(), params=("page",), topics=EXHIBITION),
        name="index",
    ),
    path(
        "<slug:slug>/",
        public_page(
            views.ExhibitionDetailView.as_view(),
            params=("agency", "city", "kind", "page"),
            topics=EXHIBITION,
        ),
        name="detail",
    ),
    path(
        "<slug:slug>/booths/<int:pk>/",
        public_page(views.BoothDetailView.as_view(), params=("kind", "page"), topics=EXHIBITION),
        name="booth",
    ),
    path(
        "<slug:slug>/exhibits/<int:pk>/",
        public_page(views.ExhibitDetailView.as_view(), topics=EXHIBITION),
        name="exhibit",
    ),
]
