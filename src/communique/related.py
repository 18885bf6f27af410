"""Posts related to a post: the same text elsewhere, and the nearest in meaning.

    same_text_posts(store, key)          its near-duplicate group (dedupe.py), earliest first
    similar_posts(store, key, limit=10)  [(post, cosine)], best first (embed.py)

What a reader's view of one post lists beside it (the web app's post page and
``/api/v1/posts/{key}/similar``). ``similar_posts`` needs the embedding model and
embedded posts, and raises ``embed.EmbeddingsUnavailable`` without them.
"""

from __future__ import annotations

from communique.dedupe import same_text
from communique.errors import NotFound
from communique.models import Post
from communique.store.base import Store
from communique.store.sqlite import SQLiteStore


def same_text_posts(store: Store, key: str) -> list[Post]:
    """The other posts with the same text as the post ``key``, earliest first."""
    if not isinstance(store, SQLiteStore):
        return []
    post = store.get(key)
    if post is None:
        raise NotFound(f"no post with key {key!r}")
    keys = [k for k in same_text(store, post.key) if k != post.key]
    return [p for k in keys if (p := store.get(k)) is not None]


def similar_posts(store: Store, key: str, *, limit: int = 10) -> list[tuple[Post, float]]:
    from communique import embed  # numpy and the model: only when asked for

    post = store.get(key)
    if post is None or not isinstance(store, SQLiteStore):
        raise NotFound(f"no post with key {key!r}")
    # Ask before more_like_this would load the model to encode a post it then
    # cannot compare with anything.
    if store.conn.execute("SELECT 1 FROM post_vectors LIMIT 1").fetchone() is None:
        raise embed.EmbeddingsUnavailable("no post is embedded yet: run `communique embed`")
    ranked = embed.more_like_this(store, post.key, limit=limit)
    if not ranked:
        return []
    marks = ", ".join("?" * len(ranked))
    keys = dict(
        store.conn.execute(
            f"SELECT id, key FROM posts WHERE id IN ({marks})", [i for i, _ in ranked]
        ).fetchall()
    )
    found = [(store.get(keys[i]), score) for i, score in ranked if i in keys]
    return [(p, round(float(s), 4)) for p, s in found if p is not None]
