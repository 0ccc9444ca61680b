"""Which rows are demo data: one mark per row that ``seed_demo`` created.

``seed_demo`` marks every object it makes (neighbourhoods, houses, records, articles, comments,
the tags it brought in, the exhibition with its booths, exhibits and photos, users) the moment it
makes it, bulk-created records included; ``purge_demo`` removes exactly the marked rows and the
parts that live only inside them (history rows, link rows, tag links, a user's membership).  A
row that was already there when ``seed_demo`` ran is never marked, so it is never purged.

One table for every kind of row, rather than a flag on each model: the apps know nothing of the
demo (``Neighbourhood.is_demo`` exists because public pages show it), and a real installation
that never ran the demo has an empty table.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import models


class DemoRowQuerySet(models.QuerySet):
    def of(self, model):
        """The marks of one model's rows."""
        return self.filter(content_type=ContentType.objects.get_for_model(model))

    def ids_of(self, model):
        """The primary keys of *model*'s marked rows, as a subquery."""
        return self.of(model).values("object_id")


class DemoRowManager(models.Manager.from_queryset(DemoRowQuerySet)):
    def mark(self, objects) -> None:
        """Mark freshly created *objects* (saved, of any models) as demo data, in one insert."""
        rows = [
            DemoRow(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)
            for obj in objects
        ]
        self.bulk_create(rows, batch_size=500)


class DemoRow(models.Model):
    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, related_name="+", verbose_name="نوع ردیف"
    )
    object_id = models.PositiveBigIntegerField("شناسهٔ ردیف")

    objects = DemoRowManager()

    class Meta:
        verbose_name = "ردیف نمایشی"
        verbose_name_plural = "ردیف‌های نمایشی"
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"], name="demo_row_marked_once"
            ),
        ]

    def __str__(self):
        return f"{self.content_type.app_label}.{self.content_type.model} #{self.object_id}"
