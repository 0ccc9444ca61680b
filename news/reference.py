"""The news categories every installation starts with; editors may add more in the admin."""

from news.models import Category

CATEGORIES = [
    ("program", "اخبار طرح"),
    ("health", "درمان و سلامت"),
    ("jobs", "اشتغال"),
    ("housing", "مسکن"),
    ("culture", "فرهنگی"),
    ("social", "اجتماعی"),
    ("education", "علمی و آموزشی"),
]


def load_categories() -> dict:
    """Create the categories that are missing (found by slug); change nothing else."""
    created = 0
    for order, (slug, name) in enumerate(CATEGORIES, 1):
        _category, made = Category.objects.get_or_create(
            slug=slug, defaults={"name": name, "order": order}
        )
        created += made
    return {"دستهٔ خبر": created}
