"""The HTML an editor may put in an article body, and nothing more.

Editors write in a textarea with a small toolbar, so the body is HTML typed or pasted by a
person; it is cleaned with nh3 every time it is saved (``services.article_save``) and shown
with ``|safe`` only after that.  Text pasted from Word or another site brings styles, classes,
scripts and event handlers: all of them go, the words stay.
"""

import nh3

ALLOWED_TAGS = {
    "p",
    "br",
    "h2",
    "h3",
    "h4",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "s",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "hr",
    "span",
}
# Mixed Persian/English paragraphs need `dir`, which nh3 drops unless it is allowed.
ALLOWED_ATTRIBUTES = {"*": {"dir"}, "a": {"href", "title"}}
ALLOWED_DIR_VALUES = {"rtl", "ltr", "auto"}
URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "noopener noreferrer nofollow"
# Whole elements whose content is code or chrome rather than text of the article.
DROPPED_WITH_CONTENT = {"script", "style", "iframe", "object", "embed", "template", "noscript"}


def sanitize_body(raw_html: str) -> str:
    """Return *raw_html* reduced to the allowed tags and attributes.

    Links keep only http(s)/mailto targets and get ``rel="noopener noreferrer nofollow"``;
    ``dir`` survives on any tag but only as rtl, ltr or auto; comments, scripts, styles and
    event handlers are removed.
    """
    return nh3.clean(
        raw_html or "",
        tags=ALLOWED_TAGS,
        clean_content_tags=DROPPED_WITH_CONTENT,
        attributes={tag: names - {"dir"} for tag, names in ALLOWED_ATTRIBUTES.items()},
        tag_attribute_values={tag: {"dir": ALLOWED_DIR_VALUES} for tag in ALLOWED_TAGS},
        url_schemes=URL_SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
    ).strip()
