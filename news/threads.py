"""Comment threads as readers see them.

``Comment.parent`` always points at the comment actually answered.  Threads are shown nested
three levels deep; a reply to a third-level comment (or deeper) is listed in the reply list of
its third-level ancestor, at the same indentation, and names the comment it answers
(«در پاسخ به …»).  A phone screen has no room for a fourth indent, and the thread stays
readable in the order it was written.
"""

from dataclasses import dataclass, field

MAX_DEPTH = 3


@dataclass
class ThreadNode:
    comment: object
    level: int
    replies: list["ThreadNode"] = field(default_factory=list)
    answers: object = None  # the answered comment when it is not the one shown above

    @property
    def flat_replies(self) -> bool:
        """Replies at the deepest level are listed without a further indent."""
        return self.level >= MAX_DEPTH


def build_threads(comments) -> list[ThreadNode]:
    """Arrange approved comments (oldest first) into top-level threads.

    A reply whose parent is not among *comments* (it was rejected after the reply was
    approved) starts a thread of its own.
    """
    comments = list(comments)
    by_id = {comment.pk: comment for comment in comments}
    # For each comment, the node whose reply list takes the replies to it.
    holders: dict[int, ThreadNode] = {}
    roots: list[ThreadNode] = []
    for comment in comments:
        parent = by_id.get(comment.parent_id)
        holder = holders.get(parent.pk) if parent is not None else None
        if holder is None:
            node = ThreadNode(comment, level=1)
            roots.append(node)
        elif holder.level < MAX_DEPTH:
            node = ThreadNode(comment, level=holder.level + 1)
            holder.replies.append(node)
        else:
            answers = parent if parent.pk != holder.comment.pk else None
            node = ThreadNode(comment, level=MAX_DEPTH, answers=answers)
            holder.replies.append(node)
        # Nodes below the deepest level hand their replies to the node they hang under.
        holders[comment.pk] = node if holder is None or holder.level < MAX_DEPTH else holder
    return roots
