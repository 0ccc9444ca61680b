"""Top-level URLs: the public site, the staff panel and the Django admin."""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from portal import views
from portal.caching import public_page

app_name = "portal"

portal_patterns = [
    path("", public_page(views.HomeView.as_view()), name="home"),
    path("healthz", views.healthz, name="healthz"),
    path(
        "panel/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("panel/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("panel/", views.PanelHomeView.as_view(), name="panel"),
]

panel_patterns = [
    path("records/", include("agencies.panel_urls")),
    path("neighbourhoods/", include("neighbourhoods.panel_urls")),
    path("news/", include("news.panel_urls")),
    path("exhibition/", include("exhibition.panel_urls")),
]

urlpatterns = [
    path("", include((portal_patterns, "portal"))),
    path("panel/", include(panel_patterns)),
    path("neighbourhoods/", include("neighbourhoods.urls")),
    path("agencies/", include("agencies.urls")),
    path("exhibition/", include("exhibition.urls")),
    path("news/", include("news.urls")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

admin.site.site_header = "مدیریت درگاه محله‌های استان سمنان"
admin.site.site_title = "مدیریت درگاه محله"
admin.site.index_title = "بخش‌های سامانه"
