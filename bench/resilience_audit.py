"""What bench/resilience.py checks after the run: why each failed request failed, how soon the
nodes were healthy again, and whether the database holds exactly what the clients were told.

"Half-written", concretely: a comment found whose article, name, text or pending status differ
from what was sent; a record found whose house, type, date, count, notes, submitted status or
author differ from what was sent, or without exactly one "created" history row with its notes;
a history row carrying a marker whose record does not exist; any row carrying a marker no
client sent. An unacknowledged write may be absent, or present and whole.
"""

import re

from resilience_load import Answer, Write

KINDS = ("read", "comment", "record", "login", "health")
WRITE_COLUMNS = (
    "sent", "acknowledged", "found once", "lost", "duplicated", "unacked found", "half-written",
)  # fmt: skip


def failures_by_cause(answers: list[Answer], faults: dict, outages: list) -> dict[str, list]:
    """Failed requests by the fault they overlapped: one of the database's outages (from its
    stop to its first accepted connection), the kill (a request to node A left without any
    answer when its worker died) or none ("outside")."""
    causes = {name: [] for name, _down, _up in outages} | {"kill": [], "outside": []}
    for answer in answers:
        if answer.error:
            causes[_cause(answer, faults, outages)].append(answer)
    return causes


def _cause(answer: Answer, faults: dict, outages: list) -> str:
    for name, down, up in outages:
        if answer.started <= up and answer.ended >= down:
            return name
    if (
        answer.node == "A"
        and answer.status is None
        and answer.started <= faults["kill"] <= answer.ended
    ):
        return "kill"
    return "outside"


def recovery_seconds(answers: list[Answer], up: float) -> dict[str, float | None]:
    """Per node: from the database's first accepted connection (*up*) to the end of the first
    /healthz that answered 200 among those sent after it."""
    found = {}
    for node in ("A", "B"):
        ends = [
            a.ended
            for a in answers
            if a.kind == "health" and a.node == node and a.started >= up and not a.error
        ]
        found[node] = min(ends) - up if ends else None
    return found


def audit_writes(writes: list[Write], marker_tag: str) -> dict[str, dict[str, int]]:
    """Compare what each client was told with what the database holds."""
    from django.db import connections

    connections.close_all()  # this script's connection died with the restart
    found_comments = _comments_by_marker(marker_tag)
    found_records, orphans = _records_by_marker(marker_tag)
    figures = {}
    for kind, found, whole in (
        ("comment", found_comments, _comment_is_whole),
        ("record", found_records, _record_is_whole),
    ):
        mine = [write for write in writes if write.kind == kind]
        row = dict.fromkeys(WRITE_COLUMNS, 0)
        for write in mine:
            rows = found.get(write.marker, [])
            row["sent"] += 1
            row["duplicated"] += len(rows) > 1
            row["half-written"] += sum(1 for stored in rows if not whole(stored, write))
            if write.acknowledged:
                row["acknowledged"] += 1
                if len(rows) == 1 and (write.pk is None or rows[0].pk == write.pk):
                    row["found once"] += 1
                elif not rows:
                    row["lost"] += 1
            elif rows:
                row["unacked found"] += 1
        # Rows whose marker no client sent: a write the journal never saw is a failure too.
        known = {write.marker for write in mine}
        row["half-written"] += sum(
            len(rows) for marker, rows in found.items() if marker not in known
        )
        if kind == "record":
            row["half-written"] += orphans
        figures[kind] = row
    return figures


def _marker_in(text: str, marker_tag: str) -> str:
    match = re.search(rf"{marker_tag}-[a-z0-9]+-\d+", text)
    return match[0] if match else ""


def _comments_by_marker(marker_tag: str) -> dict:
    from news.models import Comment

    found: dict[str, list] = {}
    for comment in Comment.objects.filter(text__contains=marker_tag).select_related("article"):
        found.setdefault(_marker_in(comment.text, marker_tag), []).append(comment)
    return found


def _records_by_marker(marker_tag: str) -> tuple[dict, int]:
    """Records by marker, each with its "created" history rows as ``created_rows``; and the
    number of history rows carrying a marker whose record does not exist."""
    from agencies.models import ServiceRecord

    history: dict[int, list] = {}
    for row in ServiceRecord.history.filter(notes__contains=marker_tag):
        history.setdefault(row.id, []).append(row)
    found: dict[str, list] = {}
    records = ServiceRecord.objects.filter(notes__contains=marker_tag).select_related("created_by")
    for record in records:
        record.created_rows = [row for row in history.pop(record.pk, []) if row.history_type == "+"]
        found.setdefault(_marker_in(record.notes, marker_tag), []).append(record)
    return found, sum(len(rows) for rows in history.values())


def _comment_is_whole(comment, write: Write) -> bool:
    from news.models import CommentStatus

    return (
        comment.article.get_absolute_url() == write.sent["article"]
        and comment.name == write.sent["name"]
        and comment.text == write.sent["text"]
        and comment.status == CommentStatus.PENDING
    )


def _record_is_whole(record, write: Write) -> bool:
    from agencies.choices import RecordStatus

    return (
        all(getattr(record, name) == value for name, value in write.sent.items())
        and record.status == RecordStatus.SUBMITTED
        and record.created_by.username == write.author
        and len(record.created_rows) == 1
        and record.created_rows[0].notes == record.notes
    )
