from django.contrib import admin

from core.admin import PersianHistoryAdmin, PersianModelAdmin, PublicContentAdminMixin
from neighbourhoods.models import City, County, Neighbourhood, Province


@admin.register(Province)
class ProvinceAdmin(PublicContentAdminMixin, PersianModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {}


@admin.register(County)
class CountyAdmin(PublicContentAdminMixin, PersianModelAdmin):
    list_display = ["name", "province", "slug"]
    list_filter = ["province"]
    search_fields = ["name", "slug"]
    list_select_related = ["province"]


@admin.register(City)
class CityAdmin(PublicContentAdminMixin, PersianModelAdmin):
    list_display = ["name", "county", "slug", "neighbourhood_count"]
    list_filter = ["county__province", "county"]
    search_fields = ["name", "slug"]
    list_select_related = ["county"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_neighbourhood_counts()

    @admin.display(description="تعداد محله", ordering="neighbourhood_count")
    def neighbourhood_count(self, city):
        return city.neighbourhood_count


@admin.register(Neighbourhood)
class NeighbourhoodAdmin(PublicContentAdminMixin, PersianHistoryAdmin):
    list_display = ["name", "code", "city", "population", "households", "is_demo"]
    list_filter = ["is_demo", "city__county", "city"]
    search_fields = ["name", "code", "search_key"]
    list_select_related = ["city"]
    autocomplete_fields = ["city"]
    readonly_fields = ["search_text"]

    @admin.display(description="کلید جستجو")
    def search_text(self, neighbourhood):
        # The model's field has no Persian name of its own.
        return neighbourhood.search_key
