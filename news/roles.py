"""The two news roles, as Django groups holding permissions.

Editors write and publish articles; moderators approve or reject comments.  Both are
independent of agency staff memberships: a person may be either, both or neither.
"""

from django.contrib.auth.models import Group, Permission

EDITOR_GROUP = "ویراستار خبر"
MODERATOR_GROUP = "ناظر نظرها"

GROUP_PERMISSIONS = {
    EDITOR_GROUP: [
        ("news", "article", "add_article"),
        ("news", "article", "change_article"),
        ("news", "article", "view_article"),
        ("news", "category", "view_category"),
        ("taggit", "tag", "add_tag"),
        ("taggit", "tag", "view_tag"),
    ],
    MODERATOR_GROUP: [
        ("news", "comment", "moderate_comment"),
        ("news", "comment", "view_comment"),
        ("news", "article", "view_article"),
    ],
}


def ensure_groups() -> dict[str, Group]:
    """Create the news groups if missing and give them exactly their permissions."""
    groups = {}
    for name, wanted in GROUP_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=name)
        permissions = [
            Permission.objects.get(
                content_type__app_label=app_label,
                content_type__model=model,
                codename=codename,
            )
            for app_label, model, codename in wanted
        ]
        group.permissions.set(permissions)
        groups[name] = group
    return groups
