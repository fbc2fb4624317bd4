"""The stricter rich-text profile of client emails (NT-1): no embeds, no images, no data:."""

from firmchat.domain.richtext import email_html, parse_message

REL = 'rel="noopener noreferrer nofollow"'


def test_a_video_embed_becomes_a_link_to_the_video():
    stored = parse_message('<iframe src="https://youtu.be/dQw4w9WgXcQ"></iframe>').html

    assert email_html(stored) == (
        f'<p><a href="https://www.youtube.com/embed/dQw4w9WgXcQ" {REL}>Watch the video</a></p>'
    )


def test_images_are_dropped_even_the_threads_own_documents():
    stored = parse_message('<p>See <img src="document:doc-1" alt="scan"></p>', {"doc-1"}).html

    assert email_html(stored) == "<p>See </p>"


def test_data_and_script_addresses_never_survive_even_in_html_that_skipped_the_store():
    crafted = '<a href="data:text/html,x">a</a><img src="https://tracker.example/p.gif"><b>ok</b>'

    assert email_html(crafted) == f"<a {REL}>a</a><b>ok</b>"


def test_formatting_and_plain_links_are_kept():
    stored = parse_message('<p><b>Hi</b> <a href="https://firm.example/x">x</a></p>').html

    assert email_html(stored) == f'<p><b>Hi</b> <a href="https://firm.example/x" {REL}>x</a></p>'
