"""Top-level URLs: the public site, the staff panel and the Django admin.

The pages that combine apps (home, a neighbourhood's page, an agency's page, the panel home,
the sitemap) are portal's own and join their app's namespace here, so every app's URLs stay
the app's and nothing below portal imports upwards.
"""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path

from core.caching import Topic, public_page
from neighbourhoods import urls as neighbourhood_urls
from news import views as news_views
from portal import media_views, views
from portal.forms import AdminLoginForm, LoginForm
from portal.sitemaps import SITEMAPS

portal_patterns = [
    path(
        "", public_page(views.HomeView.as_view(), topics=(Topic.NEWS, Topic.PROGRAM)), name="home"
    ),
    path("healthz", views.healthz, name="healthz"),
    path(
        "panel/login/",
        auth_views.LoginView.as_view(
            redirect_authenticated_user=True, authentication_form=LoginForm
        ),
        name="login",
    ),
    path("panel/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("panel/", views.PanelHomeView.as_view(), name="panel"),
    # Images staff may see and visitors perhaps not (settings.PRIVATE_MEDIA_URL).
    path("panel/media/<path:name>", media_views.PrivateMediaView.as_view(), name="private_media"),
]

neighbourhood_patterns = [
    *neighbourhood_urls.urlpatterns,
    path("<str:code>/", public_page(views.NeighbourhoodPageView.as_view()), name="detail"),
]

agency_patterns = [
    path("", public_page(views.AgenciesIndexView.as_view(), topics=(Topic.PROGRAM,)), name="index"),
    path("<slug:slug>/", public_page(views.AgencyPageView.as_view()), name="detail"),
]

panel_patterns = [
    path("records/", include("agencies.panel_urls")),
    path("neighbourhoods/", include("agencies.neighbourhood_urls")),
    path("houses/", include("agencies.house_urls")),
    path("news/", include("news.panel_urls")),
    path("exhibition/", include("exhibition.panel_urls")),
    path("accounts/", include("agencies.account_urls")),
    path("dashboard/", include("reports.panel_urls")),
    path("coordination/", include("coordination.panel_urls")),
    path("households/", include("agencies.household_panel_urls")),
]

urlpatterns = [
    path("", include((portal_patterns, "portal"))),
    path("panel/", include(panel_patterns)),
    path("neighbourhoods/", include((neighbourhood_patterns, "neighbourhoods"))),
    path("agencies/", include((agency_patterns, "agencies"))),
    path("exhibition/", include("exhibition.urls")),
    path("news/", include("news.urls")),
    path("amar/", include("reports.urls")),
    path("n/<int:code>/", news_views.ShortLinkView.as_view(), name="news_short"),
    path(
        "sitemap.xml",
        public_page(sitemap_views.sitemap, params=("p",)),
        {"sitemaps": SITEMAPS},
        name="sitemap",
    ),
    path("captcha/", include("news.captcha_urls")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

admin.site.login_form = AdminLoginForm
admin.site.site_header = "مدیریت درگاه محله‌های استان سمنان"
admin.site.site_title = "مدیریت درگاه محله"
admin.site.index_title = "بخش‌های سامانه"
admin.site.empty_value_display = "—"  # Django's is a Latin hyphen

# A database that does not answer is a 503, not a 500 (portal.views.server_error).
handler500 = "portal.views.server_error"
