"""Email layouts: our own Jinja2 files beside this module, one text and one HTML file per
email (and the few public pages an email links to, HTML only), rendered with autoescape
(HTML) and strict undefined names, so a missing value fails loudly instead of leaving a
hole in a client's email."""

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

_LAYOUTS = Path(__file__).parent / "layouts"


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    text: str
    html: str


@cache
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(_LAYOUTS),
        autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render(layout: str, subject: str, **values: Any) -> RenderedEmail:
    """`layout`.txt and `layout`.html from layouts/, with the same values."""
    environment = _environment()
    values = {**values, "subject": subject}
    return RenderedEmail(
        subject=subject,
        text=environment.get_template(f"{layout}.txt").render(values),
        html=environment.get_template(f"{layout}.html").render(values),
    )


def render_page(layout: str, title: str, **values: Any) -> str:
    """`layout`.html from layouts/: a page a link in an email opens."""
    return _environment().get_template(f"{layout}.html").render({**values, "subject": title})
