"""What a sender may write, what is refused with a reason, and the plain-text rendering."""

import pytest

from firmchat.domain.richtext import (
    MAX_MESSAGE_BYTES,
    clean_html,
    embed_url,
    parse_message,
    plain_text,
)
from firmchat.errors import InvalidInputError, PayloadTooLargeError

LINK = 'target="_blank" rel="noopener noreferrer nofollow"'


def test_formatting_lists_and_emoji_are_kept():
    html = "<p><b>Bold</b> <strong>strong</strong> <i>it</i> <em>em</em> 🎉</p><ul><li>a</li></ul>"

    assert parse_message(html).html == html


def test_links_always_open_apart_and_carry_no_referrer_or_opener():
    body = parse_message('<a href="https://firm.example/x" target="_self" rel="opener">x</a>')

    assert body.html == f'<a href="https://firm.example/x" {LINK}>x</a>'


def test_unknown_tags_are_unwrapped_and_their_text_kept():
    assert parse_message('<div class="x"><span style="color:red">kept</span></div>').html == "kept"


@pytest.mark.parametrize(
    ("address", "embed"),
    [
        (
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=42",
            "https://www.youtube.com/embed/dQw4w9WgXcQ",
        ),
        ("https://youtu.be/dQw4w9WgXcQ", "https://www.youtube.com/embed/dQw4w9WgXcQ"),
        (
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
            "https://www.youtube.com/embed/dQw4w9WgXcQ",
        ),
        ("https://youtube.com/shorts/dQw4w9WgXcQ", "https://www.youtube.com/embed/dQw4w9WgXcQ"),
        ("https://vimeo.com/76979871", "https://player.vimeo.com/video/76979871"),
        (
            "https://player.vimeo.com/video/76979871?h=abc",
            "https://player.vimeo.com/video/76979871",
        ),
        (
            "https://www.loom.com/share/0123456789abcdef0123456789abcdef?sid=x",
            "https://www.loom.com/embed/0123456789abcdef0123456789abcdef",
        ),
        (
            "https://drive.google.com/file/d/1AbCdEfGhIjKlMnOp/view?usp=sharing",
            "https://drive.google.com/file/d/1AbCdEfGhIjKlMnOp/preview",
        ),
        (
            "https://drive.google.com/open?id=1AbCdEfGhIjKlMnOp",
            "https://drive.google.com/file/d/1AbCdEfGhIjKlMnOp/preview",
        ),
    ],
)
def test_videos_from_the_four_hosts_become_their_canonical_sandboxed_embed(address, embed):
    body = parse_message(f'<iframe src="{address}" width="560" class="ql-video"></iframe>')

    assert body.html.startswith(f'<iframe src="{embed}" sandbox="')
    assert body.html.endswith("></iframe>")
    assert body.text == f"[video: {embed}]"


@pytest.mark.parametrize(
    "address",
    [
        "https://evil.example/embed/dQw4w9WgXcQ",
        "https://www.youtube.com.evil.example/embed/dQw4w9WgXcQ",
        "https://www.youtube.com@evil.example/embed/dQw4w9WgXcQ",
        "https://www.youtube.com:8443/embed/dQw4w9WgXcQ",
        "https://www.youtube.com/embed/too-short",
        "javascript://www.youtube.com/embed/dQw4w9WgXcQ",
        "https://drive.google.com/drive/folders/1AbCdEfGhIjKlMnOp",
    ],
)
def test_embeds_from_anywhere_else_are_refused_with_the_hosts_named(address):
    assert embed_url(address) is None
    with pytest.raises(InvalidInputError, match="only be embedded from Loom, Vimeo, YouTube"):
        parse_message(f'<p>see</p><iframe src="{address}"></iframe>')


def test_images_show_documents_of_the_thread_only():
    body = parse_message('<img src="document:doc-1" alt="scan">', documents={"doc-1"})
    assert body.html == '<img src="document:doc-1" alt="scan">'
    assert body.text == "[image: scan]"

    for src in ("document:doc-2", "https://tracker.example/p.gif", "data:image/png;base64,AA"):
        with pytest.raises(InvalidInputError, match="an image must be a document of this thread"):
            parse_message(f'<img src="{src}">', documents={"doc-1"})
        assert "src" not in clean_html(f'<img src="{src}">', {"doc-1"})


@pytest.mark.parametrize(
    ("html", "message"),
    [
        ("<p>hi</p><script>alert(1)</script>", "scripts are not allowed"),
        ('<b onclick="steal()">x</b>', "event-handler attributes such as 'onclick'"),
        ('<a href="javascript:alert(1)">x</a>', "'javascript:' is not allowed"),
        ('<a href="&#x6A;avascript&colon;alert(1)">x</a>', "'javascript:' is not allowed"),
        ('<a href="data:text/html,x">x</a>', "'data:' is not allowed"),
        ('<a href="VBScript:x">x</a>', "'vbscript:' is not allowed"),
        ('<a href="/relative">x</a>', "an address without a scheme is not allowed"),
        ('<iframe srcdoc="&lt;b&gt;"></iframe>', "srcdoc"),
    ],
)
def test_script_capable_input_is_refused_with_a_reason(html, message):
    with pytest.raises(InvalidInputError, match=message):
        parse_message(html)


@pytest.mark.parametrize("html", ["", "   ", "<p> </p>", "<b></b><br>", "<script></script>"])
def test_an_empty_message_is_refused(html):
    with pytest.raises(InvalidInputError):
        parse_message(html)


def test_the_size_limit_is_enforced_with_a_clear_error():
    parse_message("a" * MAX_MESSAGE_BYTES)
    with pytest.raises(PayloadTooLargeError, match="the limit is 24 KB"):
        parse_message("a" * (MAX_MESSAGE_BYTES + 1))
    # Counted in bytes as stored: emoji take four.
    with pytest.raises(PayloadTooLargeError):
        parse_message("🎉" * (MAX_MESSAGE_BYTES // 4 + 1))


def test_the_limit_also_holds_for_what_cleaning_adds():
    link = '<a href="https://a.example">x</a>'
    with pytest.raises(PayloadTooLargeError):
        parse_message(link * (MAX_MESSAGE_BYTES // len(link)))


def test_plain_text_keeps_the_structure_readable():
    html = (
        "<p>Hello <b>Anna</b> &amp; Ben,</p><ol><li>first</li><li>second</li></ol>"
        '<ul><li>bullet</li></ul><p>line<br>break <a href="https://x.example/a">portal</a> '
        '<a href="mailto:tax@firm.example">tax@firm.example</a></p>'
    )

    assert plain_text(clean_html(html)) == (
        "Hello Anna & Ben,\n\n1. first\n2. second\n\n- bullet\n\nline\n"
        "break portal (https://x.example/a) tax@firm.example"
    )


def test_the_limit_counts_a_body_as_it_travels_in_json():
    quotes = '"' * (MAX_MESSAGE_BYTES // 2 + 1)  # each is \" in the frame
    with pytest.raises(PayloadTooLargeError):
        parse_message(quotes)
