"""The quality gate: no figure of the extractor may fall below the pinned baseline.

The figures come from bench/evaluate.py over the hand-labelled posts (bench/labels);
an improvement is pinned by `python bench/evaluate.py --update` (trafilatura's
eval_gate). The issue's targets are checked too, so the baseline cannot be lowered
below them unnoticed.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
TARGETS = {
    ("kind", "accuracy"): 0.90,
    ("speaker", "accuracy"): 0.95,
    ("event_date", "accuracy"): 0.95,
    ("countries", "precision"): 0.95,
    ("countries", "recall"): 0.95,
    ("events", "f1"): 0.85,
}


def load_evaluate() -> ModuleType:
    spec = importlib.util.spec_from_file_location("evaluate", ROOT / "bench" / "evaluate.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["evaluate"] = module
    spec.loader.exec_module(module)
    return module


def test_no_figure_falls_below_the_baseline() -> None:
    evaluate = load_evaluate()
    cases = evaluate.load_cases()
    assert len(cases) >= 150
    figures = evaluate.evaluate(cases)
    baseline = json.loads((ROOT / "bench" / "baseline.json").read_text(encoding="utf-8"))
    assert evaluate.below_baseline(figures, baseline) == []
    for (field, name), target in TARGETS.items():
        assert baseline[field][name] >= target, (field, name)
