"""Build hook: compile the extraction cascade with mypyc.

Extraction is most of ingest's time, and its cost is Python's own: many small
steps per capitalised word. mypyc turns these typed modules into C extensions,
a quarter faster, with the same source and the same behaviour (the test suite runs
on the compiled modules). Everything else in pyproject.toml; this file only adds
the extensions.

Compiling needs a C compiler and Python's headers; without them the install fails
(rather than quietly running slower). ``COMMUNIQUE_PURE_PYTHON=1`` builds without
the extensions: the package then runs the same source as plain Python, and an
editable install drops the compiled modules an earlier build left in the source
tree, which Python would otherwise import first.
"""

import os
from pathlib import Path

from setuptools import setup

# The cascade's stages (src/communique/extract); their data modules stay Python.
COMPILED = [
    f"src/communique/extract/{name}.py"
    for name in (
        "context",
        "events",
        "gazetteer",
        "kind",
        "language",
        "people",
        "roles",
        "runs",
        "speaker",
        "when",
    )
]


def extensions() -> list[object]:
    if os.environ.get("COMMUNIQUE_PURE_PYTHON") == "1":
        for built in Path("src").rglob("*.so"):
            built.unlink()
        return []
    from mypyc.build import mypycify

    # The build environment holds only the build requirements: the libraries the
    # modules import are typed as Any there, which changes nothing at run time. So
    # the build checks without the project's strict settings (no config file; `make
    # lint` runs them), and reports errors in the compiled modules only.
    flags = ["--config-file=", "--ignore-missing-imports", "--follow-imports=silent"]
    return mypycify([*flags, *COMPILED])


setup(ext_modules=extensions())
