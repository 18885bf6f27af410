"""Copy merging, hashtags, links and keys, on lines taken from the real dumps."""

from __future__ import annotations

from communique.models import RawPost, SourceRef
from communique.normalise import (
    hashtags,
    line_key,
    links,
    merge_lines,
    normalise,
    post_key,
)
from conftest import DUMP_000, DUMP_002


def lines_of(path):  # type: ignore[no-untyped-def]
    return ["", *path.read_text(encoding="utf-8").split("\n")]


D0 = lines_of(DUMP_000)
D2 = lines_of(DUMP_002)


def test_merge_puts_lines_only_the_second_copy_has_in_place() -> None:
    first = D0[103:114]  # title + the copy without the diary list
    second = D0[114:133]  # the copy with it
    merged = merge_lines(first, second)
    assert merged == D0[103:107] + D0[117:126] + D0[107:114]


def test_merge_keeps_lines_only_the_first_copy_has() -> None:
    first = D0[159:165]
    second = D0[165:169]  # lacks the custom-emoji line 164
    assert merge_lines(first, second) == D0[159:165]


def test_merge_of_identical_copies_is_one_copy() -> None:
    assert merge_lines(D2[173:177], D2[174:177]) == D2[173:177]


def test_merge_keeps_the_fuller_rendering_of_one_line() -> None:
    line = D0[2]
    shorter = line.replace("❓ ", "")
    assert merge_lines([D0[1], shorter, D0[3]], [line, D0[3]]) == [D0[1], line, D0[3]]


def test_line_key_folds_case_width_and_spacing() -> None:
    assert line_key("Comment by\u00a0Aide  to the President ") == "commentbyaidetothepresident"
    assert line_key("Zakharova :") == line_key("Zakharova:")
    assert line_key("<...>") == "<...>" and line_key("<…>") != line_key("🔴 🔴")
    assert line_key("ＡＢＣ") == "abc"


def test_hashtags_in_order_without_repeats_or_false_positives() -> None:
    assert hashtags(D0[221] + " " + D0[232]) == ["NATO", "EU", "OSCE"]
    assert hashtags("see https://example.org/page#top and #1 and #Victory80") == ["Victory80"]


def test_links_drop_sentence_punctuation() -> None:
    assert links(f"Read: {D2[61]}.") == [D2[61]]
    assert links("(https://mid.ru/en/foreign_policy/news/2074629/)") == [
        "https://mid.ru/en/foreign_policy/news/2074629/"
    ]


def test_keys_are_channel_and_id_when_known_else_a_stable_fingerprint() -> None:
    assert post_key("MFARussia", 28089, "x") == "mfarussia/28089"
    a = post_key(None, None, D0[1])
    assert a == post_key(None, None, D0[1])
    assert a != post_key("MFARussia", None, D0[1])
    assert a.startswith("h") and len(a) == 17
    # Invisible differences do not change the fingerprint.
    assert post_key(None, None, D0[1]) == post_key(None, None, D0[1].replace(" ", "  "))


def test_a_post_of_only_widgets_is_skipped() -> None:
    raw = RawPost(copies=[["Media is too big", "VIEW IN TELEGRAM"]], source=SourceRef("dump"))
    skipped = normalise(raw)
    assert skipped.__class__.__name__ == "Skipped"


def test_url_is_built_from_channel_and_id() -> None:
    raw = RawPost(copies=[D0[1:6]], source=SourceRef("dump"), channel="MFARussia", message_id=28089)
    post = normalise(raw)
    assert post.url == "https://t.me/MFARussia/28089"  # type: ignore[union-attr]
    assert post.key == "mfarussia/28089"  # type: ignore[union-attr]
