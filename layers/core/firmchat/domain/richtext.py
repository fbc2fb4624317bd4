"""Message rich text (spec MS-1): what a sender may write, and nothing that can run.

A message arrives as an HTML fragment from the portal's editor. What is kept:

- paragraphs and line breaks; bold (`b`, `strong`), italic (`i`, `em`); lists (`ul`, `ol`,
  `li`); emoji are plain text and pass as they are;
- links (`a href`) to `http`, `https` and `mailto` addresses only, always with
  `rel="noopener noreferrer nofollow"` and `target="_blank"` (whatever the sender wrote);
- video embeds: `<iframe src=...>` whose address is a Loom, Vimeo, YouTube or Google Drive
  video, rewritten to that host's canonical embed address and sandboxed;
- images by reference only: `<img src="document:<id>">` naming a document of the thread
  (a pasted image is uploaded as a document first; no outside address, no `data:`).

Everything else is removed: unknown tags are unwrapped (their text stays), `script` and
`style` go with their content, every other attribute is dropped.

Some things are refused instead of silently dropped (`InvalidInputError`, a 400 naming the
problem): script elements, event-handler attributes, links with any other scheme
(`javascript:`, `data:`, `vbscript:`...), embeds from any other host and images that are
not documents of the thread. A sender whose link or video vanished without a word would
believe it was sent. That refusal reads the input with the standard library's parser and is
a courtesy; the guarantee is `clean_html`: nh3's allowlist, parsing as browsers do, applied
to everything that is stored or rendered.
"""

import json
import re
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import partial
from html import unescape
from html.parser import HTMLParser
from typing import Final
from urllib.parse import urlsplit

import nh3

from firmchat.errors import InvalidInputError, PayloadTooLargeError

MAX_MESSAGE_BYTES: Final = 24 * 1024
"""A body's size as it travels: its JSON string in UTF-8. 24 KB leaves room in the
WebSocket's 32 KB frame for the rest of a `send` frame (ids and 50 mentions: under 4 KB),
so both doors take the same messages."""
"""Of the HTML as sent and as stored. Keeps a pushed message inside one WebSocket frame
budget (API Gateway: 128 KB a message) and an item far below DynamoDB's 400 KB."""

LINK_SCHEMES: Final = frozenset({"http", "https", "mailto"})
DOCUMENT_SCHEME: Final = "document"
LINK_REL: Final = "noopener noreferrer nofollow"
EMBED_ATTRIBUTES: Final = (
    'sandbox="allow-scripts allow-same-origin allow-presentation allow-popups" '
    'allowfullscreen="" referrerpolicy="strict-origin-when-cross-origin" loading="lazy"'
)

_TAGS: Final = frozenset(
    {"p", "br", "b", "strong", "i", "em", "ul", "ol", "li", "a", "img", "iframe"}
)
_ATTRIBUTES: Final = {"*": set[str](), "a": {"href"}, "img": {"src", "alt"}, "iframe": {"src"}}
_DOCUMENT_ID: Final = re.compile(r"[A-Za-z0-9_-]{1,64}")
# In nh3's output `<` and `>` are escaped everywhere but inside an iframe, whose content
# is raw text to a browser (never shown, yet an email client that drops the frame would
# render it); iframes keep only `src`, so this matches each whole iframe exactly.
_SERIALIZED_IFRAME: Final = re.compile(r'<iframe(?: src="([^"]*)")?>.*?</iframe>', re.DOTALL)


@dataclass(frozen=True)
class VideoHost:
    """One video service an embed may come from: the addresses it serves a video under
    (matched against host, path and query) and the canonical embed address."""

    name: str
    hosts: frozenset[str]
    patterns: tuple[re.Pattern[str], ...]
    embed: str

    def embed_url(self, host: str, path_and_query: str) -> str | None:
        if host not in self.hosts:
            return None
        for pattern in self.patterns:
            found = pattern.fullmatch(path_and_query)
            if found:
                return self.embed.format(**found.groupdict())
        return None


_YOUTUBE_ID = r"(?P<id>[A-Za-z0-9_-]{11})"
_TAIL = r"(?:[?&#].*)?"

VIDEO_HOSTS: Final = (
    VideoHost(
        "Loom",
        frozenset({"loom.com", "www.loom.com"}),
        (re.compile(r"/(?:share|embed)/(?P<id>[0-9a-f]{32})" + _TAIL),),
        "https://www.loom.com/embed/{id}",
    ),
    VideoHost(
        "Vimeo",
        frozenset({"vimeo.com", "www.vimeo.com", "player.vimeo.com"}),
        (re.compile(r"/(?:video/)?(?P<id>[0-9]{1,12})" + _TAIL),),
        "https://player.vimeo.com/video/{id}",
    ),
    VideoHost(
        "YouTube",
        frozenset(
            {
                "youtube.com",
                "www.youtube.com",
                "m.youtube.com",
                "youtube-nocookie.com",
                "www.youtube-nocookie.com",
                "youtu.be",
            }
        ),
        (
            re.compile(r"/(?:embed/|shorts/|live/)?" + _YOUTUBE_ID + _TAIL),
            re.compile(r"/watch\?(?:[^#]*&)?v=" + _YOUTUBE_ID + _TAIL),
        ),
        "https://www.youtube.com/embed/{id}",
    ),
    VideoHost(
        "Google Drive",
        frozenset({"drive.google.com"}),
        (
            re.compile(r"/file/d/(?P<id>[A-Za-z0-9_-]{10,128})(?:/[a-z]*)?" + _TAIL),
            re.compile(r"/open\?(?:[^#]*&)?id=(?P<id>[A-Za-z0-9_-]{10,128})" + _TAIL),
        ),
        "https://drive.google.com/file/d/{id}/preview",
    ),
)
VIDEO_HOST_NAMES: Final = ", ".join(host.name for host in VIDEO_HOSTS)


def _normalized_url(url: str) -> str:
    """The address as a browser reads it: ASCII whitespace and controls anywhere dropped."""
    return "".join(char for char in url if ord(char) > 0x20 and char != "\x7f")


def _scheme(url: str) -> str | None:
    found = re.match(r"([A-Za-z][A-Za-z0-9+.-]*):", _normalized_url(url))
    return found.group(1).lower() if found else None


def embed_url(url: str) -> str | None:
    """The canonical embed address of a recognised video, or None."""
    normalized = _normalized_url(url)
    if _scheme(normalized) not in {"http", "https"}:
        return None
    parts = urlsplit(normalized)
    if parts.username is not None or parts.password is not None or parts.port is not None:
        return None
    path_and_query = parts.path + (f"?{parts.query}" if parts.query else "")
    host = (parts.hostname or "").rstrip(".")
    for video_host in VIDEO_HOSTS:
        found = video_host.embed_url(host, path_and_query)
        if found:
            return found
    return None


def document_reference(url: str) -> str | None:
    """The document id of `document:<id>`, or None."""
    normalized = _normalized_url(url)
    prefix = f"{DOCUMENT_SCHEME}:"
    if not normalized.lower().startswith(prefix):
        return None
    document_id = normalized[len(prefix) :]
    return document_id if _DOCUMENT_ID.fullmatch(document_id) else None


def clean_html(html: str, documents: AbstractSet[str] = frozenset()) -> str:
    """The allowlist: whatever goes in, only the elements and addresses above come out.

    `documents` are the ids of the thread's documents that images may show.
    """

    def keep(tag: str, attribute: str, value: str) -> str | None:
        if tag == "iframe" and attribute == "src":
            return embed_url(value)
        if tag == "img" and attribute == "src":
            return value if document_reference(value) in documents else None
        return value

    cleaned = nh3.clean(
        html,
        tags=set(_TAGS),
        attributes=_ATTRIBUTES,
        attribute_filter=keep,
        url_schemes=set(LINK_SCHEMES | {DOCUMENT_SCHEME}),
        url_relative="deny",
        link_rel=LINK_REL,
        set_tag_attribute_values={"a": {"target": "_blank"}},
    )
    return _SERIALIZED_IFRAME.sub(_rebuilt_iframe, cleaned)


def _rebuilt_iframe(found: re.Match[str]) -> str:
    src = found.group(1)
    return f'<iframe src="{src}" {EMBED_ATTRIBUTES}></iframe>' if src else ""


class _Refusals(HTMLParser):
    """Finds the first thing in the input that is refused rather than dropped."""

    _URL_ATTRIBUTES: Final = frozenset(
        {"href", "src", "xlink:href", "action", "formaction", "data", "poster", "background"}
    )
    _EMBED_TAGS: Final = frozenset({"iframe", "embed", "object", "frame"})

    def __init__(self, documents: AbstractSet[str]) -> None:
        super().__init__(convert_charrefs=True)
        self.documents = documents
        self.problem: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.problem is None:
            self.problem = self._problem(tag, attrs)

    def _problem(self, tag: str, attrs: list[tuple[str, str | None]]) -> str | None:
        if tag == "script":
            return "scripts are not allowed in a message"
        for name, _ in attrs:
            if name.startswith("on"):
                return f"event-handler attributes such as '{name}' are not allowed in a message"
            if name == "srcdoc":
                return "embedded pages (srcdoc) are not allowed in a message"
        addresses = (value or "" for name, value in attrs if name in self._URL_ATTRIBUTES)
        return next(filter(None, map(partial(self._address_problem, tag), addresses)), None)

    def _address_problem(self, tag: str, url: str) -> str | None:
        if tag in self._EMBED_TAGS:
            if embed_url(url) is None:
                return f"videos can only be embedded from {VIDEO_HOST_NAMES}"
        elif tag == "img":
            if document_reference(url) not in self.documents:
                return "an image must be a document of this thread (src='document:<id>')"
        elif _scheme(url) not in LINK_SCHEMES:
            shown = f"'{_scheme(url)}:'" if _scheme(url) else "an address without a scheme"
            return f"links may only use http, https or mailto; {shown} is not allowed"
        return None


def refusal(html: str, documents: AbstractSet[str] = frozenset()) -> str | None:
    """Why a message would be refused, or None when it may be sent."""
    parser = _Refusals(documents)
    parser.feed(html)
    parser.close()
    return parser.problem


class _PlainText(HTMLParser):
    """Renders cleaned HTML as text for emails and previews."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.lists: list[int | None] = []  # per open list: the next number, None for bullets
        self.link: str | None = None
        self.link_text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag in {"p", "ul", "ol"}:
            self.parts.append("\n\n")
        if tag == "ul":
            self.lists.append(None)
        elif tag == "ol":
            self.lists.append(1)
        elif tag == "br":
            self.parts.append("\n")
        elif tag == "li":
            self._list_item()
        elif tag == "a":
            self.link, self.link_text = attributes.get("href"), []
        elif tag == "img" and attributes.get("src"):
            alt = attributes.get("alt")
            self.parts.append(f"[image: {alt}]" if alt else "[image]")
        elif tag == "iframe":
            self.parts.append(f"\n[video: {attributes.get('src')}]\n")

    def _list_item(self) -> None:
        number = self.lists[-1] if self.lists else None
        indent = "  " * max(len(self.lists) - 1, 0)
        self.parts.append(f"\n{indent}{number}. " if number else f"\n{indent}- ")
        if number:
            self.lists[-1] = number + 1

    def handle_endtag(self, tag: str) -> None:
        if tag in {"ul", "ol"} and self.lists:
            self.lists.pop()
            self.parts.append("\n\n")
        elif tag == "p":
            self.parts.append("\n\n")
        elif tag == "a" and self.link:
            shown = "".join(self.link_text).strip()
            address = self.link.removeprefix("mailto:")
            if shown != address:
                self.parts.append(f" ({address})")
            self.link = None

    def handle_data(self, data: str) -> None:
        self.parts.append(data)
        if self.link is not None:
            self.link_text.append(data)

    def text(self) -> str:
        lines = (line.rstrip() for line in "".join(self.parts).splitlines())
        return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def plain_text(cleaned_html: str) -> str:
    """Text for emails, previews and search: the cleaned HTML with its structure as text."""
    parser = _PlainText()
    parser.feed(cleaned_html)
    parser.close()
    return parser.text()


def _check_size(html: str) -> None:
    size = len(json.dumps(html, ensure_ascii=False).encode()) - 2  # without the quotes
    if size > MAX_MESSAGE_BYTES:
        raise PayloadTooLargeError(
            f"the message is {size // 1024} KB of formatted text; "
            f"the limit is {MAX_MESSAGE_BYTES // 1024} KB: shorten it or attach a document"
        )


@dataclass(frozen=True)
class RichText:
    """A message body as stored: cleaned HTML and its plain-text rendering."""

    html: str
    text: str


def parse_message(
    html: str, documents: AbstractSet[str] = frozenset(), field: str = "body"
) -> RichText:
    """A message body from a sender: refused with a reason (naming `field`, where the body
    sits in the request), or cleaned for storing."""
    _check_size(html)
    problem = refusal(html, documents)
    if problem:
        raise InvalidInputError(problem, field=field)
    cleaned = clean_html(html, documents)
    _check_size(cleaned)
    text = plain_text(cleaned)
    if not text:
        raise InvalidInputError("the message is empty: write something before sending", field=field)
    return RichText(html=cleaned, text=text)


_EMAIL_TAGS: Final = _TAGS - {"img", "iframe"}
# A stored embed, as `_rebuilt_iframe` writes it.
_STORED_IFRAME: Final = re.compile(r'<iframe src="([^"]*)"[^>]*>.*?</iframe>', re.DOTALL)


def _iframe_as_link(found: re.Match[str]) -> str:
    src = found.group(1)
    return f'<p><a href="{src}">Watch the video</a></p>' if src else ""


def email_html(cleaned_html: str) -> str:
    """The stricter profile for emails (NT-1): a stored message's HTML with its video embeds
    turned into links and its images dropped (a mail client would fetch them from outside, or
    could not show a thread's document at all); only http, https and mailto links remain."""
    linked = _STORED_IFRAME.sub(_iframe_as_link, cleaned_html)
    return nh3.clean(
        linked,
        tags=set(_EMAIL_TAGS),
        attributes={"*": set[str](), "a": {"href"}},
        url_schemes=set(LINK_SCHEMES),
        url_relative="deny",
        link_rel=LINK_REL,
    )


def parse_task_text(html: str, max_characters: int, field: str = "text") -> RichText:
    """A client task's text (TK-1): words and links, nothing else. What a message would
    refuse (scripts, event handlers, other schemes) is refused here too; every other tag
    is unwrapped, its text kept."""
    problem = refusal(html)
    if problem:
        raise InvalidInputError(problem.replace("in a message", "in a task"), field=field)
    cleaned = nh3.clean(
        html,
        tags={"a"},
        attributes={"*": set[str](), "a": {"href"}},
        url_schemes=set(LINK_SCHEMES),
        url_relative="deny",
        link_rel=LINK_REL,
        set_tag_attribute_values={"a": {"target": "_blank"}},
    ).strip()
    words = unescape(nh3.clean(cleaned, tags=set())).strip()
    if not words:
        raise InvalidInputError("a task needs some text", field=field)
    if len(words) > max_characters:
        raise InvalidInputError(
            f"a task is at most {max_characters} characters; this one is {len(words)}",
            field=field,
        )
    return RichText(html=cleaned, text=plain_text(cleaned))
