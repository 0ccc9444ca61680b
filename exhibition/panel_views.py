"""Staff panel of the exhibition: exhibitions, booths, exhibits and photos.

Scoped like the program data (agencies.access): agency staff see and change only booths of
their agency (and cities), coordinators everything, viewers read only.  Objects are always
fetched through ``visible_to(user)``, so a guessed id of another agency's booth, exhibit or
photo gives 404; a viewer sending a form gets 403.  Writes go through exhibition/services.py.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.generic import DetailView, FormView, ListView, TemplateView

from agencies.access import StaffAccessMixin
from core.digits import to_persian_digits
from exhibition import services
from exhibition.forms import (
    BoothForm,
    ExhibitForm,
    ExhibitionForm,
    PhotoForm,
    PhotoUploadForm,
    people_flags,
)
from exhibition.models import Booth, Exhibit, Exhibition, Photo

FORM_TEMPLATE = "exhibition/panel/form.html"
DELETE_TEMPLATE = "exhibition/panel/confirm_delete.html"


class PanelMixin(StaffAccessMixin):
    """The exhibition's staff pages: ``needs`` as everywhere; objects always through the scope."""

    def visible_booths(self):
        return Booth.objects.visible_to(self.request.user)

    def visible_exhibits(self):
        return Exhibit.objects.visible_to(self.request.user)

    def visible_photos(self):
        return Photo.objects.visible_to(self.request.user)


class ServiceFormMixin:
    """Run a service on a valid form; its Persian refusals become form errors, not 500s."""

    success_message = "ذخیره شد."

    def form_valid(self, form):
        try:
            self.obj = self.save(form)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message)
        return HttpResponseRedirect(self.get_success_url())


# --- Exhibitions -------------------------------------------------------------------------------


class ExhibitionListView(PanelMixin, ListView):
    template_name = "exhibition/panel/exhibition_list.html"
    context_object_name = "exhibitions"
    paginate_by = 20

    def get_queryset(self):
        mine = self.visible_booths().values("pk")
        return Exhibition.objects.annotate(
            booth_count=Count("booths", filter=Q(booths__in=mine), distinct=True)
        ).order_by("-starts_on", "-id")


class ExhibitionFormView(PanelMixin, ServiceFormMixin, FormView):
    """Create (no pk) or edit an exhibition; coordinators only."""

    template_name = FORM_TEMPLATE
    form_class = ExhibitionForm
    needs = "manage_province"

    def load(self, **kwargs):
        self.instance = None
        if "pk" in self.kwargs:
            self.instance = get_object_or_404(Exhibition, pk=self.kwargs["pk"])

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.instance}

    def save(self, form):
        return services.exhibition_save(
            exhibition=form.save(commit=False),
            user=self.request.user,
            cover=form.cleaned_data.get("cover"),
            remove_cover=form.cleaned_data.get("remove_cover", False),
        )

    def get_success_url(self):
        return reverse("exhibition_panel:exhibition", kwargs={"pk": self.obj.pk})

    def get_context_data(self, **kwargs):
        title = f"ویرایش «{self.instance}»" if self.instance else "نمایشگاه تازه"
        back = (
            reverse("exhibition_panel:exhibition", kwargs={"pk": self.instance.pk})
            if self.instance
            else reverse("exhibition_panel:index")
        )
        return super().get_context_data(page_title=title, cancel_url=back, **kwargs)


class ExhibitionDetailView(PanelMixin, DetailView):
    """An exhibition's booths that this user may see, with what each holds."""

    template_name = "exhibition/panel/exhibition_detail.html"
    model = Exhibition
    context_object_name = "exhibition"

    def get_context_data(self, **kwargs):
        booths = (
            self.visible_booths()
            .filter(exhibition=self.object)
            .with_place()
            .annotate(
                exhibit_count=Count("exhibits", distinct=True),
                photo_count=Count("exhibits__photos", distinct=True),
            )
        )
        return super().get_context_data(
            booths=booths,
            can_manage=self.scope.manages_province,
            **kwargs,
        )


# --- Booths ------------------------------------------------------------------------------------


class BoothFormView(PanelMixin, ServiceFormMixin, FormView):
    """Create a booth in an exhibition (``exhibition_pk``) or edit one (``pk``)."""

    template_name = FORM_TEMPLATE
    form_class = BoothForm
    needs = "write"

    def load(self, **kwargs):
        if "pk" in self.kwargs:
            self.instance = get_object_or_404(self.visible_booths(), pk=self.kwargs["pk"])
            self.exhibition = self.instance.exhibition
        else:
            self.exhibition = get_object_or_404(Exhibition, pk=self.kwargs["exhibition_pk"])
            self.instance = Booth(exhibition=self.exhibition)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.instance, "scope": self.scope}

    def save(self, form):
        return services.booth_save(booth=form.save(commit=False), user=self.request.user)

    def get_success_url(self):
        return reverse("exhibition_panel:booth", kwargs={"pk": self.obj.pk})

    def get_context_data(self, **kwargs):
        if self.instance.pk:
            title, back = f"ویرایش غرفهٔ «{self.instance}»", self._booth_url(self.instance)
        else:
            title = f"غرفهٔ تازه در «{self.exhibition}»"
            back = reverse("exhibition_panel:exhibition", kwargs={"pk": self.exhibition.pk})
        return super().get_context_data(page_title=title, cancel_url=back, **kwargs)

    @staticmethod
    def _booth_url(booth):
        return reverse("exhibition_panel:booth", kwargs={"pk": booth.pk})


class BoothDetailView(PanelMixin, DetailView):
    template_name = "exhibition/panel/booth_detail.html"
    context_object_name = "booth"

    def get_queryset(self):
        return self.visible_booths().with_place()

    def get_context_data(self, **kwargs):
        exhibits = (
            self.object.exhibits.select_related("neighbourhood__city")
            .annotate(
                photo_count=Count("photos", distinct=True),
                hidden_count=Count(
                    "photos",
                    filter=Q(photos__shows_people=True, photos__consent_recorded=False),
                    distinct=True,
                ),
            )
            .order_by("order", "id")
        )
        return super().get_context_data(exhibits=exhibits, **kwargs)


class ConfirmDeleteView(PanelMixin, TemplateView):
    """Ask, then delete through a service; refusals come back as a message."""

    template_name = DELETE_TEMPLATE
    needs = "write"
    note = ""

    def get_object(self):
        raise NotImplementedError

    def delete(self, obj):
        raise NotImplementedError

    def cancel_url(self, obj):
        raise NotImplementedError

    def after_delete_url(self, obj):
        raise NotImplementedError

    def get_context_data(self, **kwargs):
        obj = self.get_object()
        return super().get_context_data(
            object=obj, cancel_url=self.cancel_url(obj), note=self.note, **kwargs
        )

    def post(self, request, *args, **kwargs):
        obj = self.get_object()
        try:
            self.delete(obj)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return HttpResponseRedirect(self.cancel_url(obj))
        messages.success(request, f"«{obj}» حذف شد.")
        return HttpResponseRedirect(self.after_delete_url(obj))


class BoothDeleteView(ConfirmDeleteView):
    def get_object(self):
        return get_object_or_404(self.visible_booths(), pk=self.kwargs["pk"])

    def cancel_url(self, obj):
        return reverse("exhibition_panel:booth", kwargs={"pk": obj.pk})

    def delete(self, obj):
        services.booth_delete(booth=obj, user=self.request.user)

    def after_delete_url(self, obj):
        return reverse("exhibition_panel:exhibition", kwargs={"pk": obj.exhibition_id})


# --- Exhibits ----------------------------------------------------------------------------------


class ExhibitFormView(PanelMixin, ServiceFormMixin, FormView):
    """Create an exhibit in a booth (``booth_pk``) or edit one (``pk``)."""

    template_name = FORM_TEMPLATE
    form_class = ExhibitForm
    needs = "write"

    def load(self, **kwargs):
        if "pk" in self.kwargs:
            self.instance = get_object_or_404(
                self.visible_exhibits().select_related("booth"), pk=self.kwargs["pk"]
            )
            self.booth = self.instance.booth
        else:
            self.booth = get_object_or_404(self.visible_booths(), pk=self.kwargs["booth_pk"])
            self.instance = Exhibit(booth=self.booth)

    def get_form_kwargs(self):
        # The exhibit may move to another booth of the same exhibition, within the scope.
        booths = self.visible_booths().filter(exhibition_id=self.booth.exhibition_id)
        return {**super().get_form_kwargs(), "instance": self.instance, "booths": booths}

    def save(self, form):
        return services.exhibit_save(exhibit=form.save(commit=False), user=self.request.user)

    def get_success_url(self):
        return reverse("exhibition_panel:exhibit", kwargs={"pk": self.obj.pk})

    def get_context_data(self, **kwargs):
        if self.instance.pk:
            title = f"ویرایش «{self.instance}»"
            back = reverse("exhibition_panel:exhibit", kwargs={"pk": self.instance.pk})
        else:
            title = f"اثر تازه در غرفهٔ «{self.booth}»"
            back = reverse("exhibition_panel:booth", kwargs={"pk": self.booth.pk})
        return super().get_context_data(page_title=title, cancel_url=back, **kwargs)


class ExhibitDetailView(PanelMixin, DetailView):
    """An exhibit with all its photos (hidden ones marked) and the upload form."""

    template_name = "exhibition/panel/exhibit_detail.html"
    context_object_name = "exhibit"

    def get_queryset(self):
        return self.visible_exhibits().select_related(
            "booth__exhibition", "booth__agency", "neighbourhood__city"
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["photos"] = self.object.photos.order_by("order", "id")
        if self.scope.can_write:
            context.setdefault("upload_form", PhotoUploadForm())
        return context


class PhotoUploadView(ExhibitDetailView):
    """POST several photos at once; a refused file shows the exhibit page with its errors."""

    needs = "write"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        form = PhotoUploadForm(request.POST, request.FILES)
        if form.is_valid():
            shows_people, consent = people_flags(form.cleaned_data["people"])
            try:
                photos = services.photos_add(
                    exhibit=self.object,
                    images=form.cleaned_data["images"],
                    alt_text=form.cleaned_data["alt_text"],
                    caption=form.cleaned_data["caption"],
                    shows_people=shows_people,
                    consent_recorded=consent,
                    user=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                count = to_persian_digits(len(photos))
                messages.success(request, f"{count} عکس افزوده شد.")
                if shows_people and not consent:
                    messages.warning(
                        request, "این عکس‌ها تا ثبت رضایت افراد در درگاه عمومی دیده نمی‌شوند."
                    )
                return HttpResponseRedirect(
                    reverse("exhibition_panel:exhibit", kwargs={"pk": self.object.pk})
                )
        messages.error(request, "عکس‌ها ذخیره نشدند؛ خطاهای زیر را ببینید.")
        return self.render_to_response(self.get_context_data(upload_form=form), status=400)


class ExhibitDeleteView(ConfirmDeleteView):
    note = "همهٔ عکس‌های این اثر نیز پاک می‌شوند."

    def get_object(self):
        return get_object_or_404(self.visible_exhibits(), pk=self.kwargs["pk"])

    def cancel_url(self, obj):
        return reverse("exhibition_panel:exhibit", kwargs={"pk": obj.pk})

    def delete(self, obj):
        services.exhibit_delete(exhibit=obj, user=self.request.user)

    def after_delete_url(self, obj):
        return reverse("exhibition_panel:booth", kwargs={"pk": obj.booth_id})


# --- Photos ------------------------------------------------------------------------------------


class PhotoFormView(PanelMixin, ServiceFormMixin, FormView):
    template_name = FORM_TEMPLATE
    form_class = PhotoForm
    needs = "write"

    def load(self, **kwargs):
        self.instance = get_object_or_404(
            self.visible_photos().select_related("exhibit__booth"), pk=self.kwargs["pk"]
        )

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.instance}

    def save(self, form):
        return services.photo_update(
            photo=form.save(commit=False),
            user=self.request.user,
            image=form.cleaned_data.get("replacement"),
        )

    def get_success_url(self):
        return reverse("exhibition_panel:exhibit", kwargs={"pk": self.obj.exhibit_id})

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            page_title="ویرایش عکس",
            cancel_url=reverse("exhibition_panel:exhibit", kwargs={"pk": self.instance.exhibit_id}),
            photo=self.instance,
            **kwargs,
        )


class PhotoDeleteView(ConfirmDeleteView):
    def get_object(self):
        return get_object_or_404(self.visible_photos(), pk=self.kwargs["pk"])

    def cancel_url(self, obj):
        return reverse("exhibition_panel:exhibit", kwargs={"pk": obj.exhibit_id})

    def delete(self, obj):
        services.photo_delete(photo=obj, user=self.request.user)

    def after_delete_url(self, obj):
        return self.cancel_url(obj)
