"""Choices that several modules of the program layer name (models, access, services)."""

from django.db import models


class RecordStatus(models.TextChoices):
    """Where a service record stands between entry and publication.

    A clerk keeps a draft, submits it, and the agency's supervisor (or a coordinator) approves
    it or returns it for correction with a reason. Only approved records count on public pages.
    Approved records are locked for clerks until they are returned.
    """

    DRAFT = "draft", "پیش‌نویس"
    SUBMITTED = "submitted", "ارسال‌شده"
    RETURNED = "returned", "برگشت برای اصلاح"
    APPROVED = "approved", "تأییدشده"
