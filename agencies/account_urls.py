"""Staff URLs for accounts, mounted under /panel/accounts/ by portal/urls.py."""

from django.urls import path

from agencies import account_views as views

app_name = "accounts_panel"

urlpatterns = [
    path("", views.AccountListView.as_view(), name="list"),
    path("new/", views.AccountCreateView.as_view(), name="create"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("import/", views.AccountImportView.as_view(), name="import"),
    path("import/apply/", views.AccountImportApplyView.as_view(), name="import_apply"),
    path("import/template.csv", views.AccountImportTemplateView.as_view(), name="import_template"),
    path("<int:pk>/", views.AccountDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.AccountUpdateView.as_view(), name="edit"),
    path("<int:pk>/deactivate/", views.AccountDeactivateView.as_view(), name="deactivate"),
    path("<int:pk>/reactivate/", views.AccountReactivateView.as_view(), name="reactivate"),
    path(
        "<int:pk>/reset-password/",
        views.AccountPasswordResetView.as_view(),
        name="reset_password",
    ),
]
