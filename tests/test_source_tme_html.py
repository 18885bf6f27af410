"""The t.me/s web preview source, pinned on every real fragment in shared/data/tme_html.

Each fragment's expected post was written by reading its HTML by hand and is
compared whole (every field of the ``RawPost`` but its source), so a stray value
(a hidden widget label taken for media, a reply's text taken for the post's)
fails as surely as a missing one. Synthetic pages below cover what the fragments
do not: hostile input, pagination, the real page header, odd markup.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from communique.errors import EncodingError, MalformedInput
from communique.models import Channel, LinkPreview, RawPost, ReplyTo, Skipped, SourceRef
from communique.sources import tme_html
from conftest import CSV_MFA, DUMP_000, TME_HTML

TEST_CHANNEL = "tchan's test channel 👍"
OPINE = "🗳 Opine sobre esta proposta clicando aqui!"

# Fragment name -> the fields of its one post that differ from RawPost's defaults.
EXPECTED: dict[str, dict[str, Any]] = {
    "parse_audio_document": dict(
        message_id=12, date="2023-02-24T07:33:58+00:00", copies=[["Povo hebreu"]],
        media=["audio"], views=2, views_rounding=1,
    ),
    "parse_audio_message": dict(
        message_id=13, date="2023-02-24T07:34:05+00:00", media=["voice"],
        views=2, views_rounding=1,
    ),
    "parse_emoji_message": dict(
        message_id=7, date="2023-02-24T07:30:53+00:00", copies=[["👍"]],
        views=2, views_rounding=1,
    ),
    "parse_forwarded_text_message": dict(
        message_id=89, date="2023-02-24T12:13:31+00:00", copies=[[";)"]],
        forwarded_from="Some user", forwarded_url="https://t.me/some_user",
        views=2, views_rounding=1,
    ),
    "parse_location_message": dict(
        message_id=10, date="2023-02-24T07:31:38+00:00", media=["location"],
        views=2, views_rounding=1,
    ),
    "parse_location_message_2": dict(
        message_id=83, date="2023-02-24T11:01:22+00:00", media=["location"],
        views=1, views_rounding=1,
    ),
    "parse_location_message_3": dict(
        message_id=88, date="2023-02-24T11:23:40+00:00", media=["location"],
        views=2, views_rounding=1,
    ),
    "parse_message_weird_preview": dict(
        channel="CamaradosDeputados", message_id=7334, date="2022-11-09T22:43:54+00:00",
        copies=[[
            "_", "", "✍️ CÂMARA APROVA", "_", "", "",
            "🔸 Projeto que aumenta penas para crimes sexuais contra crianças",
            "#Punição_ampliada", OPINE, "____", "",
            "🔸Projeto que facilita corte ou poda de árvore quando houver risco de acidente.",
            "#Poda_de_árvores", OPINE, "____", "",
            "🔸Proposta que susta resoluções da Aneel sobre tarifas de transmissão.",
            "#Tarifas_de_transmissão", OPINE, "", "", "____", "",
            "📬 Convide seus contatos do WhatsApp a conhecerem nosso canal clicando aqui!",
            "____",
        ]],
        links=[
            "http://bit.ly/3Tq1C4G", "http://bit.ly/3PCX1vn", "http://bit.ly/3tkdScB",
            "http://bit.ly/3A1c4c4", "http://bit.ly/3A3EoKS", "http://bit.ly/3zWxOpw",
            "https://bit.ly/2UBmLNC",
        ],
        hashtags=["Punição_ampliada", "Poda_de_árvores", "Tarifas_de_transmissão"],
        link_preview=LinkPreview(
            url="http://bit.ly/3Tq1C4G",
            site="Portal da Câmara dos Deputados",
            title="Câmara aprova projeto que aumenta penas para crimes sexuais contra "
            "crianças; acompanhe - Notícias",
        ),
        views=1200, views_rounding=100, edited=True,
    ),
    # An album: a video, a photo, a video, a photo -> each kind once, in order; the
    # hidden "not supported in your browser" fallbacks of its videos are not media.
    "parse_multimedia_message": dict(
        message_id=84, date="2023-02-24T11:01:46+00:00",
        copies=[["Multiple videos and pictures"]], media=["video", "photo"],
        views=436_600, views_rounding=100,
    ),
    "parse_photo_multiple": dict(
        message_id=14, date="2023-02-24T07:34:20+00:00", copies=[["Multiple pics"]],
        media=["photo"], views=2, views_rounding=1,
    ),
    "parse_photo_single": dict(
        message_id=16, date="2023-02-24T07:35:28+00:00",
        copies=[["Picture by telegram camera"]], media=["photo"], views=2, views_rounding=1,
    ),
    "parse_poll": dict(
        message_id=11, date="2023-02-24T07:32:23+00:00", media=["poll"],
        views=2, views_rounding=1,
    ),
    "parse_round_video_single": dict(
        message_id=17, date="2023-02-24T07:35:45+00:00", media=["round_video"],
        views=2, views_rounding=1,
    ),
    "parse_service_message_channel_created": dict(
        message_id=1, date="2023-02-24T07:26:49+00:00", copies=[["Channel created"]],
        kind="service", service="channel_created",
    ),
    "parse_service_message_channel_name_changed": dict(
        message_id=2, date="2023-02-24T07:28:01+00:00",
        copies=[["Channel name was changed to «tchan's test channel»"]],
        kind="service", service="title_changed",
    ),
    "parse_service_message_channel_photo_updated": dict(
        message_id=3, date="2023-02-24T07:29:23+00:00", copies=[["Channel photo updated"]],
        kind="service", service="photo_changed",
    ),
    # Despite its name this fragment is an ordinary post: no service_message class,
    # 3.1M views, and text someone typed (tchan's own test expects type "text").
    "parse_service_message_channel_video_changed": dict(
        message_id=82, date="2023-02-24T10:15:33+00:00",
        copies=[['+ "Channel video changed"']], views=3_100_000, views_rounding=100_000,
    ),
    # The actor's link to the channel is not one of the post's links.
    "parse_service_message_pinned": dict(
        message_id=92, date="2023-02-24T12:20:19+00:00",
        copies=[[f"{TEST_CHANNEL} pinned «Going to pin this message»"]],
        kind="service", service="pinned",
    ),
    "parse_signed_edited_text_message": dict(
        message_id=5, date="2023-02-24T07:29:57+00:00",
        copies=[["Hello! Signed and edited message"]], author="Álvaro Justen", edited=True,
        views=2, views_rounding=1,
    ),
    "parse_sticker_message": dict(
        message_id=9, date="2023-02-24T07:31:06+00:00", media=["sticker"],
        views=2, views_rounding=1,
    ),
    "parse_text_message_link_no_preview": dict(
        message_id=24, date="2023-02-24T07:48:02+00:00",
        copies=[["This is a message with a link", "", "https://brasil.io/"]],
        links=["https://brasil.io/"], edited=True, views=2, views_rounding=1,
    ),
    "parse_text_message_link_with_regular_preview": dict(
        message_id=94, date="2023-02-24T13:47:38+00:00",
        copies=[[
            "https://agenciabrasil.ebc.com.br/justica/noticia/2022-08/"
            "operacao-guardioes-do-bioma-apreende-239-toneladas-de-minerio"
        ]],
        links=[
            "https://agenciabrasil.ebc.com.br/justica/noticia/2022-08/"
            "operacao-guardioes-do-bioma-apreende-239-toneladas-de-minerio"
        ],
        link_preview=LinkPreview(
            url="https://agenciabrasil.ebc.com.br/justica/noticia/2022-08/"
            "operacao-guardioes-do-bioma-apreende-239-toneladas-de-minerio",
            site="Agência Brasil",
            title="Operação Guardiões do Bioma apreende 23,9 toneladas de minério",
            description="Ação contra o garimpo ilegal em Terra Indígena Yanomami durou um "
            "mês e resultou na prisão de 25 pessoas, apreensão de aeronaves e munições e "
            "em 115 autos de infração.",
        ),
        views=1, views_rounding=1,
    ),
    "parse_text_message_link_with_right_preview": dict(
        message_id=81, date="2023-02-24T08:16:18+00:00",
        copies=[["link with preview https://python.org/"]], links=["https://python.org/"],
        link_preview=LinkPreview(
            url="https://www.python.org/",
            site="Python.org",
            title="Welcome to Python.org",
            description="The official home of the Python Programming Language",
        ),
        views=2, views_rounding=1,
    ),
    "parse_text_message_multiline": dict(
        message_id=62, date="2023-02-24T08:01:26+00:00",
        copies=[["Bigger", "text", "message", "number", "34"]], views=2, views_rounding=1,
    ),
    "parse_text_message_signed_not_edited": dict(
        message_id=79, date="2023-02-24T08:07:51+00:00", copies=[["Signed and not edited"]],
        author="Álvaro Justen", views=2, views_rounding=1,
    ),
    # The quoted post's preview ("Video") is the reply's, not the post's text.
    "parse_text_reply_to_video": dict(
        message_id=20, date="2023-02-24T07:38:31+00:00",
        copies=[["Reply to a video (not recorded in telegram)"]],
        reply_to=ReplyTo(channel=TEST_CHANNEL, text="Video", message_id=19),
        views=2, views_rounding=1,
    ),
    "parse_unsigned_text_message": dict(
        message_id=6, date="2023-02-24T07:30:39+00:00", copies=[["Unsigned message"]],
        views=2, views_rounding=1,
    ),
    "parse_video_big": dict(
        channel="some_random_user", message_id=5343, date="2023-01-30T23:30:40+00:00",
        copies=[["some text"]], media=["video", "too_big"], views=436_600, views_rounding=100,
    ),
    "parse_video_single": dict(
        message_id=18, date="2023-02-24T07:36:49+00:00", copies=[["Video by telegram camera"]],
        media=["video"], views=2, views_rounding=1,
    ),
    "parse_video_single_2": dict(
        message_id=19, date="2023-02-24T07:38:13+00:00", media=["video"],
        views=2, views_rounding=1,
    ),
}  # fmt: skip

# Fragments with no post: their expectations are tests of their own below.
PAGE_FRAGMENTS = {"channel_info", "parse_no_posts_found"}
ALL_FRAGMENTS = sorted([*EXPECTED, *PAGE_FRAGMENTS])


def fragment(name: str) -> Path:
    return TME_HTML / f"{name}.html"


def only_post(path: Path) -> RawPost:
    items = list(tme_html.read(path))
    assert len(items) == 1, items
    assert isinstance(items[0], RawPost)
    return items[0]


def msg(post: str | None, inner: str = "", classes: str = "") -> str:
    """A message div; ``post`` is its data-post (None: no data-post at all)."""
    data_post = f' data-post="{post}"' if post is not None else ""
    return f'<div class="tgme_widget_message js-widget_message {classes}"{data_post}>{inner}</div>'


def text_div(inner: str) -> str:
    return f'<div class="tgme_widget_message_text js-message_text" dir="auto">{inner}</div>'


def page_of(*messages: str, head: str = "", header: str = "") -> str:
    return f"<html><head>{head}</head><body>{header}{''.join(messages)}</body></html>"


def write(tmp_path: Path, content: str | bytes, name: str = "page.html") -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def parse_one(html: str) -> RawPost:
    page = tme_html.parse_page(html)
    assert len(page.posts) == 1, page
    return page.posts[0]


# -- The real fragments ------------------------------------------------------------


def test_every_fragment_has_expectations() -> None:
    names = {p.stem for p in TME_HTML.glob("*.html")}
    assert len(names) == 32
    assert names == set(EXPECTED) | PAGE_FRAGMENTS


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fragment_post(name: str) -> None:
    path = fragment(name)
    fields = {"channel": "tchantest", **EXPECTED[name]}
    expected = RawPost(source=SourceRef(kind="html", path=str(path)), **{"copies": [], **fields})
    assert only_post(path) == expected


def test_channel_header() -> None:
    assert list(tme_html.read(fragment("channel_info"))) == [
        Channel(
            username="tchantest",
            title=TEST_CHANNEL,
            description="Test channel for tchan Python library/CLI",
            subscribers=1,
        )
    ]


def test_empty_channel_page() -> None:
    path = fragment("parse_no_posts_found")
    page = tme_html.parse_page(path.read_text(encoding="utf-8"))
    assert page.no_posts and page.recognised
    assert (page.channel, page.posts, page.oldest_id) == (None, [], None)
    assert list(tme_html.read(path)) == []


@pytest.mark.parametrize("name", ALL_FRAGMENTS)
def test_sniff_recognises_every_fragment(name: str) -> None:
    path = fragment(name)
    assert tme_html.sniff(path, path.read_text(encoding="utf-8"))


def test_read_yields_channel_then_posts_in_page_order(tmp_path: Path) -> None:
    names = ["parse_text_message_multiline", "parse_unsigned_text_message", "parse_poll"]
    html = "".join(fragment(n).read_text(encoding="utf-8") for n in ["channel_info", *names])
    items = list(tme_html.read(write(tmp_path, html)))
    assert isinstance(items[0], Channel) and items[0].username == "tchantest"
    assert [getattr(i, "message_id", None) for i in items[1:]] == [62, 6, 11]
    page = tme_html.parse_page(html)
    assert (page.oldest_id, page.newest_id) == (6, 62)


# -- Hostile input -----------------------------------------------------------------


@pytest.mark.parametrize("name", ALL_FRAGMENTS)
@pytest.mark.parametrize("fraction", [0.1, 0.5, 0.9])
def test_truncated_fragments_never_crash(name: str, fraction: float) -> None:
    html = fragment(name).read_text(encoding="utf-8")
    page = tme_html.parse_page(html[: int(len(html) * fraction)])
    assert all(p.channel and p.message_id for p in page.posts)


def test_fragment_cut_in_half_keeps_what_it_has(tmp_path: Path) -> None:
    html = fragment("parse_text_message_link_with_regular_preview").read_text(encoding="utf-8")
    post = only_post(write(tmp_path, html[: len(html) // 2]))
    # The identity sits at the top of the message; the text and footer were cut off.
    assert (post.channel, post.message_id) == ("tchantest", 94)
    assert (post.copies, post.date, post.views) == ([], None, None)


def test_page_from_another_site_is_refused(tmp_path: Path) -> None:
    html = (
        '<html><head><meta property="og:title" content="News"></head><body>'
        '<div class="message"><p>Hello <a href="https://example.com">world</a></p></div>'
        "</body></html>"
    )
    path = write(tmp_path, html)
    assert not tme_html.sniff(path, html)
    with pytest.raises(MalformedInput, match="not a Telegram web preview page") as caught:
        list(tme_html.read(path))
    assert caught.value.path == str(path)


def test_non_utf8_is_refused(tmp_path: Path) -> None:
    html = fragment("parse_unsigned_text_message").read_bytes()
    path = write(tmp_path, html.replace(b"Unsigned", "Unsigné".encode("latin-1")))
    with pytest.raises(EncodingError) as caught:
        list(tme_html.read(path))
    assert caught.value.path == str(path)
    assert caught.value.line is not None


def test_binary_and_empty_files_are_refused(tmp_path: Path) -> None:
    with pytest.raises(EncodingError, match="binary"):
        list(tme_html.read(write(tmp_path, b"<div>\x00\x01</div>", "bin.html")))
    with pytest.raises(MalformedInput, match="empty"):
        list(tme_html.read(write(tmp_path, b"", "empty.html")))


def test_byte_order_mark_is_harmless(tmp_path: Path) -> None:
    html = fragment("parse_unsigned_text_message").read_text(encoding="utf-8")
    assert only_post(write(tmp_path, "\ufeff" + html)).copies == [["Unsigned message"]]


def test_markup_in_text_stays_text() -> None:
    text = "&lt;script&gt;alert(1)&lt;/script&gt; &lt;b&gt;not bold&lt;/b&gt; &amp;amp;"
    post = parse_one(page_of(msg("c/1", text_div(text))))
    assert post.copies == [["<script>alert(1)</script> <b>not bold</b> &amp;"]]


def test_real_script_and_style_elements_are_not_text() -> None:
    inner = "Before<script>steal()</script><style>p{}</style> after"
    post = parse_one(page_of(msg("c/1", text_div(inner))))
    assert post.copies == [["Before after"]]


def test_message_without_usable_data_post_is_skipped(tmp_path: Path) -> None:
    html = page_of(
        msg(None, text_div("lost")),
        msg("not a post", text_div("odd")),
        msg("chan/7", text_div("kept")),
    )
    path = write(tmp_path, html)
    items = list(tme_html.read(path))
    source = SourceRef(kind="html", path=str(path))
    assert [type(i) for i in items] == [RawPost, Skipped, Skipped]
    assert items[1] == Skipped(reason="message without data-post", source=source)
    assert items[2] == Skipped(reason="message with unusable data-post 'not a post'", source=source)


def test_absurd_numbers_are_not_ids() -> None:
    huge = "9" * 5000
    page = tme_html.parse_page(
        page_of(msg(f"c/{huge}"), header=f'<a class="tme_messages_more" data-before="{huge}"></a>')
    )
    assert (page.posts, len(page.skipped), page.before) == ([], 1, None)


def test_deep_nesting_does_not_exhaust_the_stack() -> None:
    depth = 5000
    inner = "<b>" * depth + "deep" + "</b>" * depth
    post = parse_one(page_of(msg("c/1", text_div(inner))))
    assert post.copies == [["deep"]]


def test_broken_footer_values_are_dropped() -> None:
    footer = (
        '<span class="tgme_widget_message_views">lots</span>'
        '<a class="tgme_widget_message_date"><time datetime="yesterday">x</time></a>'
    )
    post = parse_one(page_of(msg("c/1", footer)))
    assert (post.views, post.views_rounding, post.date) == (None, None, None)


# -- Mapping details the fragments do not show -------------------------------------


def test_modern_reply_quote_is_not_the_post_text() -> None:
    # Current pages draw the quote with a message_text-like class of its own.
    reply = (
        '<a class="tgme_widget_message_reply" href="https://t.me/MFARussia/28090">'
        '<div class="tgme_widget_message_author"><span class="tgme_widget_message_author_name">'
        "Russian MFA</span></div>"
        '<div class="tgme_widget_message_text js-message_reply_text">Quoted <b>words</b>'
        "</div></a>"
    )
    post = parse_one(page_of(msg("MFARussia/28091", reply + text_div("Own words"))))
    assert post.copies == [["Own words"]]
    assert post.reply_to == ReplyTo(channel="Russian MFA", text="Quoted words", message_id=28090)


def test_forward_from_a_plain_name() -> None:
    box = (
        '<div class="tgme_widget_message_forwarded_from">Forwarded from&nbsp;'
        '<span class="tgme_widget_message_forwarded_from_name">Hidden user</span></div>'
    )
    post = parse_one(page_of(msg("c/1", box)))
    assert (post.forwarded_from, post.forwarded_url) == ("Hidden user", None)


def test_links_are_absolute_safe_and_once_each() -> None:
    text = (
        '<a href="https://a.example/x">1</a> <a href="/s/c?before=10">2</a> '
        '<a href="javascript:alert(1)">3</a> <a href="https://a.example/x">4</a> '
        '<a href="?q=%23RussiaChina">#RussiaChina</a> <a href="?q=%24TSLA">$TSLA</a> '
        '<a href="https://t.me/s/c?q=%23RussiaChina">#RussiaChina</a>'
    )
    post = parse_one(page_of(msg("c/1", text_div(text))))
    assert post.links == [
        "https://a.example/x",
        "https://t.me/s/c?before=10",
        "https://t.me/s/c?q=%24TSLA",
    ]
    assert post.hashtags == ["RussiaChina"]


@pytest.mark.parametrize(
    ("href", "tag"),
    [
        ("?q=%23Tag", "Tag"),
        ("?q=%23Puni%C3%A7%C3%A3o_ampliada", "Punição_ampliada"),
        ("https://t.me/s/MFARussia?q=%23SCO", "SCO"),
        ("https://example.com/?q=%23Tag", None),
        ("?q=word", None),
        ("?q=%23", None),
        ("http://[broken", None),
    ],
)
def test_hashtag_of(href: str, tag: str | None) -> None:
    assert tme_html.hashtag_of(href) == tag


def test_edited_is_read_from_the_meta_not_the_signature() -> None:
    meta = (
        '<span class="tgme_widget_message_meta"><span class="tgme_widget_message_from_author">'
        'edited</span>,&nbsp;<a class="tgme_widget_message_date"></a></span>'
    )
    post = parse_one(page_of(msg("c/1", meta)))
    assert (post.author, post.edited) == ("edited", False)


@pytest.mark.parametrize(
    ("label", "media"),
    [
        ("Please open Telegram to view this post", ["needs_app"]),
        ("This media is not supported in your browser", ["unsupported"]),
        ("Media is too big", ["too_big"]),
        ("Something new Telegram says", ["unsupported"]),
    ],
)
def test_a_widget_label_alone_is_media(label: str, media: list[str]) -> None:
    widget = (
        '<div class="message_media_not_supported_wrap"><div class="message_media_not_supported">'
        f'<div class="message_media_not_supported_label">{label}</div>'
        '<span class="message_media_view_in_telegram">VIEW IN TELEGRAM</span></div></div>'
    )
    post = parse_one(page_of(msg("c/1", widget + text_div("Caption"))))
    assert (post.media, post.copies) == (media, [["Caption"]])


def test_media_inside_quotes_is_not_the_posts() -> None:
    preview = (
        '<a class="tgme_widget_message_link_preview" href="https://x.example">'
        '<div class="tgme_widget_message_photo_wrap"></div></a>'
    )
    assert parse_one(page_of(msg("c/1", preview))).media == []


def test_emoji_drawn_as_an_empty_image_is_kept() -> None:
    emoji = (
        '<i class="emoji" style="background-image:url(\'//telegram.org/img/emoji/40/'
        "F09F87B7F09F87BA.png')\"></i> Russia"
    )
    post = parse_one(page_of(msg("c/1", text_div(emoji))))
    assert post.copies == [["🇷🇺 Russia"]]


@pytest.mark.parametrize(
    ("text", "action"),
    [
        ("Channel created", "channel_created"),
        ("Channel name was changed to «MFA»", "title_changed"),
        ("Channel name was changed to «pinned news»", "title_changed"),
        ("Channel photo updated", "photo_changed"),
        ("Channel video changed", "video_changed"),
        ("Russian MFA pinned «Statement»", "pinned"),
        ("Live stream started", "other"),
    ],
)
def test_service_actions(text: str, action: str) -> None:
    post = parse_one(page_of(msg("c/5", text_div(text), classes="service_message")))
    assert (post.kind, post.service, post.views) == ("service", action, None)


@pytest.mark.parametrize(
    ("shown", "count"),
    [
        ("523", (523, 1)),
        ("5.37K", (5370, 10)),
        ("53.7K", (53_700, 100)),
        ("537K", (537_000, 1000)),
        ("1.23M", (1_230_000, 10_000)),
        ("3.1M", (3_100_000, 100_000)),
        (" 1.2K ", (1200, 100)),
        ("12 345", (12_345, 1)),
        ("1.2345K", None),
        ("1.2.3K", None),
        ("9" * 5000, None),
        ("٣", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_count(shown: str | None, count: tuple[int, int] | None) -> None:
    assert tme_html.parse_count(shown) == count


@pytest.mark.parametrize(
    ("value", "iso"),
    [
        ("2022-02-10T19:50:19+00:00", "2022-02-10T19:50:19+00:00"),
        ("2022-02-10T22:50:19+03:00", "2022-02-10T19:50:19+00:00"),
        ("2022-02-10T19:50:19", "2022-02-10T19:50:19+00:00"),
        ("10/02/2022", None),
        ("0001-01-01T00:00:00+05:00", None),
        ("", None),
    ],
)
def test_iso_utc(value: str, iso: str | None) -> None:
    assert tme_html.iso_utc(value) == iso


def test_real_page_header_and_pagination() -> None:
    head = '<meta property="og:title" content="Fallback title">'
    header = (
        '<div class="tgme_channel_info">'
        '<div class="tgme_channel_info_header_title"><span>Russian MFA 🇷🇺</span></div>'
        '<div class="tgme_channel_info_header_username"><a href="https://t.me/MFARussia">'
        "@MFARussia</a></div>"
        '<div class="tgme_channel_info_description">Official channel<br/>of the MFA</div>'
        '<div class="tgme_channel_info_counters"><div class="tgme_channel_info_counter">'
        '<span class="counter_value">1.2K</span> <span class="counter_type">subscribers'
        "</span></div></div></div>"
        '<a class="tme_messages_more js-messages_more" data-before="28080" '
        'href="/s/MFARussia?before=28080"></a>'
    )
    page = tme_html.parse_page(page_of(msg("MFARussia/28081"), head=head, header=header))
    assert page.channel == Channel(
        username="MFARussia",
        title="Russian MFA 🇷🇺",
        description="Official channel\nof the MFA",
        subscribers=1200,
    )
    assert (page.before, page.after, page.oldest_id) == (28080, None, 28081)


def test_sniff_rejects_other_formats(tmp_path: Path) -> None:
    assert not tme_html.sniff(DUMP_000, DUMP_000.read_text(encoding="utf-8")[:65536])
    assert not tme_html.sniff(CSV_MFA, CSV_MFA.read_text(encoding="utf-8")[:65536])
    # HTML quoted inside JSON has its quotes escaped: not a saved page.
    quoted = '{"html": "<div class=\\"tgme_widget_message\\" data-post=\\"c/1\\">"}'
    assert not tme_html.sniff(tmp_path / "posts.json", quoted)
    assert tme_html.sniff(tmp_path / "page.htm", quoted)
