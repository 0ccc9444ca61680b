from django import forms
from django.contrib import admin

from coordination.division import responsibility_save, supporters_error
from coordination.findings import finding_review, review_errors
from coordination.models import FindingReview, Responsibility, Target
from coordination.target_forms import TargetForm
from coordination.targets import target_delete, target_save
from core.admin import PersianHistoryAdmin, PublicContentAdminMixin


class ResponsibilityAdminForm(forms.ModelForm):
    class Meta:
        model = Responsibility
        fields = ["neighbourhood", "domain", "lead", "supporters"]

    def clean(self):
        cleaned = super().clean()
        if "supporters" in cleaned:
            problem = supporters_error(cleaned.get("lead"), cleaned["supporters"])
            if problem:
                self.add_error("supporters", problem)
        return cleaned


@admin.register(Responsibility)
class ResponsibilityAdmin(PublicContentAdminMixin, PersianHistoryAdmin):
    """Who leads each domain in each neighbourhood; the public neighbourhood page shows it.

    Saved through ``responsibility_save`` once the supporters are known (``save_related``, where
    the admin hands over the many-to-many field); deletes make the public pages stale."""

    form = ResponsibilityAdminForm
    list_display = ["neighbourhood", "domain", "lead"]
    list_filter = ["domain", "lead", "neighbourhood__city"]
    list_select_related = ["neighbourhood__city", "domain", "lead"]
    search_fields = ["neighbourhood__name", "neighbourhood__code"]
    filter_horizontal = ["supporters"]

    def get_readonly_fields(self, request, obj=None):
        # A row is about one neighbourhood and domain; another pair is another row.
        return ["neighbourhood", "domain"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        """Nothing yet: the row and its supporters are saved together in ``save_related``."""

    def save_related(self, request, form, formsets, change):
        responsibility_save(
            responsibility=form.instance,
            supporters=form.cleaned_data.get("supporters") or [],
            user=request.user,
        )
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)


@admin.register(Target)
class TargetAdmin(PersianHistoryAdmin):
    """Yearly targets, saved and deleted through the same services as the panel's pages."""

    form = TargetForm
    list_display = ["year", "neighbourhood", "domain", "agency", "measure", "value"]
    list_filter = ["year", "domain", "measure", "agency"]
    list_select_related = ["neighbourhood__city", "domain", "agency"]
    search_fields = ["neighbourhood__name", "neighbourhood__code"]

    def save_model(self, request, obj, form, change):
        target_save(target=obj, user=request.user)

    def delete_model(self, request, obj):
        target_delete(target=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for target in queryset:
            target_delete(target=target, user=request.user)


class FindingReviewAdminForm(forms.ModelForm):
    class Meta:
        model = FindingReview
        fields = ["key", "kind", "verdict", "note"]

    def clean(self):
        cleaned = super().clean()
        key = cleaned.get("key", self.instance.key)
        kind = cleaned.get("kind", self.instance.kind)
        if key and kind and cleaned.get("verdict"):
            problems = review_errors(
                key=key, kind=kind, verdict=cleaned["verdict"], note=cleaned.get("note", "")
            )
            for name, errors in problems.items():
                self.add_error(name if name in self.fields else None, errors)
        return cleaned


@admin.register(FindingReview)
class FindingReviewAdmin(PersianHistoryAdmin):
    """The coordinators' verdicts, given on the report page; here saved through the same
    ``finding_review``, which checks the finding is still in the report."""

    form = FindingReviewAdminForm
    list_display = ["key", "kind", "verdict", "reviewed_by", "reviewed_at"]
    list_filter = ["kind", "verdict"]
    list_select_related = ["reviewed_by"]
    search_fields = ["key", "note"]

    def get_readonly_fields(self, request, obj=None):
        # A verdict is about one finding; another finding is another row.
        fixed = ["key", "kind"] if obj is not None else []
        return [*fixed, "reviewed_by", "reviewed_at"]

    def save_model(self, request, obj, form, change):
        saved = finding_review(
            key=obj.key, kind=obj.kind, verdict=obj.verdict, note=obj.note, user=request.user
        )
        obj.pk = saved.pk
