"""Hostile rich text through the sanitizer: nothing script-capable may come out.

The output is parsed (not compared as strings) and every tag, attribute and address is
checked against the allowlist written out here, independently of the module's own tables.
"""

import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from firmchat.domain.richtext import clean_html, parse_message
from firmchat.errors import InvalidInputError, PayloadTooLargeError

CORPUS = json.loads((Path(__file__).parent / "data" / "hostile_rich_text.json").read_text())
DOCUMENTS = frozenset({"doc-1"})

ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    **{tag: set() for tag in ("p", "br", "b", "strong", "i", "em", "ul", "ol", "li")},
    "a": {"href", "target", "rel"},
    "img": {"src", "alt"},
    "iframe": {"src", "sandbox", "allowfullscreen", "referrerpolicy", "loading"},
}
LINK_PREFIXES = ("http://", "https://", "mailto:")
EMBED_PREFIXES = (
    "https://www.youtube.com/embed/",
    "https://player.vimeo.com/video/",
    "https://www.loom.com/embed/",
    "https://drive.google.com/file/d/",
)


class AllowlistChecker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.violations: list[str] = []
        self.in_iframe = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.in_iframe:
            self.violations.append(f"<{tag}> inside an iframe")
        if tag not in ALLOWED_ATTRIBUTES:
            self.violations.append(f"tag <{tag}>")
            return
        values = dict(attrs)
        for name in values:
            if name not in ALLOWED_ATTRIBUTES[tag]:
                self.violations.append(f"attribute {name} on <{tag}>")
        getattr(self, f"_check_{tag}", lambda _: None)(values)
        self.in_iframe = tag == "iframe"

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        self.in_iframe = False

    def handle_endtag(self, tag):
        if tag == "iframe":
            self.in_iframe = False

    def _check_a(self, values):
        href = values.get("href")
        if href is not None and not _address(href).startswith(LINK_PREFIXES):
            self.violations.append(f"link to {href!r}")
        if values.get("target") != "_blank" or values.get("rel") != "noopener noreferrer nofollow":
            self.violations.append(f"link without target/rel: {values}")

    def _check_img(self, values):
        if "src" in values and values["src"] != "document:doc-1":
            self.violations.append(f"image from {values['src']!r}")

    def _check_iframe(self, values):
        src = _address(values.get("src") or "")
        tail = src.removeprefix(next((p for p in EMBED_PREFIXES if src.startswith(p)), ""))
        if tail == src or not all(c.isalnum() or c in "_-/" for c in tail):
            self.violations.append(f"embed from {src!r}")
        if "allow-top-navigation" in (values.get("sandbox") or "top") or "sandbox" not in values:
            self.violations.append(f"embed not sandboxed: {values}")

    def handle_data(self, data):
        if self.in_iframe:
            self.violations.append(f"content inside an iframe: {data!r}")

    def handle_comment(self, data):
        self.violations.append(f"comment {data!r}")

    def handle_decl(self, decl):
        self.violations.append(f"declaration {decl!r}")

    def handle_pi(self, data):
        self.violations.append(f"processing instruction {data!r}")

    def unknown_decl(self, data):
        self.violations.append(f"declaration {data!r}")


def _address(value: str) -> str:
    return "".join(c for c in value if ord(c) > 0x20).lower()


def violations(html: str) -> list[str]:
    checker = AllowlistChecker()
    checker.feed(html)
    checker.close()
    return checker.violations


def test_the_corpus_is_large_enough_and_each_entry_says_why():
    assert len(CORPUS) >= 50
    assert all(entry["why"] and entry["html"] for entry in CORPUS)
    assert len({entry["html"] for entry in CORPUS}) == len(CORPUS)


@pytest.mark.parametrize("entry", CORPUS, ids=[entry["why"] for entry in CORPUS])
def test_nothing_script_capable_comes_out_of_the_cleaner(entry):
    cleaned = clean_html(entry["html"], DOCUMENTS)

    assert violations(cleaned) == []
    # A browser parses the stored HTML again: a second pass must change nothing.
    assert clean_html(cleaned, DOCUMENTS) == cleaned


@pytest.mark.parametrize("entry", CORPUS, ids=[entry["why"] for entry in CORPUS])
def test_a_message_from_the_corpus_is_refused_or_stored_clean(entry):
    try:
        body = parse_message(entry["html"], DOCUMENTS)
    except (InvalidInputError, PayloadTooLargeError):
        return
    assert violations(body.html) == []


def test_the_checker_itself_catches_what_it_must():
    assert violations('<img src=x onerror="alert(1)">') == [
        "attribute onerror on <img>",
        "image from 'x'",
    ]
    assert violations('<a href="jav&#x09;ascript:x" target="_blank" rel="x">') != []
    assert violations('<iframe src="https://evil.example/x" sandbox=""></iframe>') != []
    assert violations('<iframe src="https://www.youtube.com/embed/x" sandbox=""><b>') != []
    assert violations("<script>x</script>") == ["tag <script>"]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from([entry["html"] for entry in CORPUS] + ["<b>", "</b>", "<li>", "<a>", '"']),
        min_size=1,
        max_size=6,
    )
)
def test_hostile_fragments_stay_harmless_in_any_combination(fragments):
    cleaned = clean_html("".join(fragments), DOCUMENTS)

    assert violations(cleaned) == []
