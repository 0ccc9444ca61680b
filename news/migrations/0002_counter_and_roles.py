"""The news code counter's single row, and the editor and moderator groups."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUPS = {
    "ویراستار خبر": [
        ("news", "article", "add_article"),
        ("news", "article", "change_article"),
        ("news", "article", "view_article"),
        ("news", "category", "view_category"),
        ("taggit", "tag", "add_tag"),
        ("taggit", "tag", "view_tag"),
    ],
    "ناظر نظرها": [
        ("news", "comment", "moderate_comment"),
        ("news", "comment", "view_comment"),
        ("news", "article", "view_article"),
    ],
}


def forwards(apps, schema_editor):
    NewsCodeCounter = apps.get_model("news", "NewsCodeCounter")
    Article = apps.get_model("news", "Article")
    highest = max(Article.objects.values_list("news_code", flat=True), default=0)
    NewsCodeCounter.objects.get_or_create(pk=1, defaults={"last_code": highest})

    # Permissions are normally made after all migrations; make them now to attach them.
    for label in ("news", "taggit"):
        config = apps.get_app_config(label)
        config.models_module = True
        create_permissions(config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, wanted in GROUPS.items():
        group, _created = Group.objects.get_or_create(name=name)
        for app_label, model, codename in wanted:
            permission = Permission.objects.filter(
                content_type__app_label=app_label, content_type__model=model, codename=codename
            ).first()
            if permission is not None:
                group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
