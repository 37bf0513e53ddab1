"""What the contest tests share beyond the factories (tests/factories/contest.py): the status
a role allowed on a URL gets."""

from __future__ import annotations

# POSTs that, sent without their form data, show the form again (a reason or a choice is missing)
FORM_AGAIN = ("/judges/{j0}/remove", "/registrations/{reg}/move", "/sheets/{sheet}/unlock")


def allowed_status(method: str, template: str) -> int:
    """What a role allowed on a URL gets: a page is 200; an empty POST redirects, or shows its
    form again where it needs a reason or a choice."""
    if method == "get" or template.endswith(FORM_AGAIN):
        return 200
    return 302
