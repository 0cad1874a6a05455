"""A small learned stance model: gradient-boosted trees over claims.stance_features, read from JSON.

The model weighs the cues the rules read (claims.stance_features) against each
other instead of taking the strongest one. It ships with the package as
`claims/models/stance.json`, trained by `benchmarks/train_stance_model.py` on
FNC-1's training pairs only (see the README), and runs here with numpy alone:
no scikit-learn, no pickle, nothing downloaded. The file is plain data, so a
model file from anywhere can be read without running its code.

Each tree is four parallel node lists: the feature a node tests (-1 at a
leaf), its threshold (a feature value at or below it goes left), its two
children, and a leaf's value. A class's raw score is its baseline plus the
values of the leaves its trees reach; the probabilities are their softmax.
"""
from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from claims.model_files import read_spec, shipped_path
from claims.stance_features import FEATURE_NAMES
from claims.verify import DISCUSS, STANCES, ArticleStance, VerifyParams, quoted, too_far_to_take_a_side

FORMAT = "claimbeam-stance-model"
FORMAT_VERSION = 1


class StanceModelError(ValueError):
    """A stance model file that cannot be used: not this format, other features, or inconsistent trees."""


@dataclass(frozen=True, eq=False)
class StanceModel:
    classes: tuple[str, ...]  # stances, in the order of the baseline and of probabilities' columns
    baseline: np.ndarray  # (n_classes,) raw score before any tree
    tree_class: np.ndarray  # (n_trees,) the class each tree adds to
    roots: np.ndarray  # (n_trees,) index of each tree's root in the node arrays
    feature: np.ndarray  # (n_nodes,) tested feature, -1 at a leaf
    threshold: np.ndarray  # (n_nodes,) value <= threshold goes to left
    left: np.ndarray  # (n_nodes,) child indices into the node arrays (a leaf points at itself)
    right: np.ndarray
    value: np.ndarray  # (n_nodes,) a leaf's contribution to its tree's class
    trained_on: str
    sha256: str  # of the file's bytes: which model a manifest's run used

    def probabilities(self, rows: Sequence[Sequence[float]]) -> np.ndarray:
        """(n_rows, n_classes) probabilities for rows of FEATURE_NAMES values."""
        x = np.asarray(rows, dtype=float).reshape(-1, len(FEATURE_NAMES))
        if not np.isfinite(x).all():
            raise ValueError("stance features must be finite numbers")
        node = np.broadcast_to(self.roots, (len(x), len(self.roots))).copy()  # (n_rows, n_trees)
        row = np.arange(len(x))[:, None]
        while True:
            tested = self.feature[node]
            inner = tested >= 0
            if not inner.any():
                break
            go_left = x[row, np.where(inner, tested, 0)] <= self.threshold[node]
            node = np.where(inner, np.where(go_left, self.left[node], self.right[node]), node)
        raw = np.tile(self.baseline, (len(x), 1))
        for k in range(len(self.classes)):
            raw[:, k] += self.value[node[:, self.tree_class == k]].sum(axis=1)
        raw -= raw.max(axis=1, keepdims=True)
        p = np.exp(raw)
        return p / p.sum(axis=1, keepdims=True)


def model_stance(rules: ArticleStance, classes: Sequence[str], probabilities: Sequence[float],
                 params: VerifyParams = VerifyParams()) -> ArticleStance:
    """The article's stance as the model reads it, citing the sentence it rests on.

    A clear conflict in the closest sentence (a different number or date, or
    the opposite statement) refutes whatever the model says: it is a fact of
    the text, and FNC-1, which the model learned from, has few such pairs.
    Otherwise the most probable stance wins, but only an article with a
    sentence near the claim (`rules.similarity` at least
    `model_side_threshold`) takes a side: one on the same story that never
    comes near the claim neither corroborates nor refutes it, however much
    it resembles FNC-1's agreeing or disagreeing bodies (FNC-1 has no claim
    that grafts a false detail onto a true story). Where the model and the
    rules agree, the rules' cue is the reason. Where it overrules them, the
    evidence cites the closest sentence that the rules read its way, or else
    the closest sentence about the claim, and the reason says so.
    """
    if rules.clear_conflict:
        return rules
    if too_far_to_take_a_side(rules.similarity, params):
        if rules.stance == DISCUSS:  # as with the default thresholds, where the rules too take no side this far
            return rules
        return ArticleStance(DISCUSS, f"too far from the claim to take a side (the rules alone: {rules.stance}, "
                                      f"{rules.reason})", rules.claim_id, rules.similarity, sentences=rules.sentences)
    probability, stance = max(zip(probabilities, classes), key=lambda pc: (pc[0], pc[1] == DISCUSS))
    if stance == rules.stance:
        return rules
    overruled = f"the rules alone: {rules.stance}, {rules.reason}"
    cited = rules.closest_with(stance) or (rules.sentences[0] if rules.sentences else None)
    if cited is None or cited.claim_id == rules.claim_id:
        return ArticleStance(stance, f"weighing all its cues ({overruled})", rules.claim_id, rules.similarity,
                             sentences=rules.sentences)
    lead = cited.reason if cited.stance == stance else f"the closest: {quoted(cited.text)}"
    return ArticleStance(stance, f"weighing all its cues: {lead} ({overruled})", cited.claim_id, cited.similarity,
                         sentences=rules.sentences)


def parse_stance_model(data: bytes) -> StanceModel:
    """A StanceModel from a model file's bytes; StanceModelError says what is wrong with any other file."""
    spec = read_spec(data, FORMAT, FORMAT_VERSION, StanceModelError, "stance model")
    features, classes = spec.get("features"), spec.get("classes")
    if not isinstance(features, list) or tuple(features) != FEATURE_NAMES:
        raise StanceModelError("trained on other features than this claimbeam computes; retrain it with "
                               "benchmarks/train_stance_model.py")
    if not isinstance(classes, list) or not all(isinstance(c, str) for c in classes) \
            or sorted(classes) != sorted(STANCES):
        raise StanceModelError(f"classes {classes!r}; expected the stances {list(STANCES)}")
    classes = tuple(classes)
    baseline = _numbers(spec.get("baseline"), float, "baseline")
    trees = spec.get("trees")
    if len(baseline) != len(classes) or not isinstance(trees, list) or not trees:
        raise StanceModelError("malformed trees: a baseline per class and a non-empty list of trees are needed")
    columns = {name: [] for name in _TREE_LISTS}
    tree_class, sizes = [], []
    for number, tree in enumerate(trees):
        if not isinstance(tree, dict) or type(tree.get("class")) is not int \
                or not 0 <= tree["class"] < len(classes):
            raise StanceModelError(f"malformed tree {number}: it needs a \"class\" from 0 to {len(classes) - 1}")
        lists = {name: _numbers(tree.get(name), kind, f"tree {number} {name}") for name, kind in _TREE_LISTS.items()}
        size = len(lists["feature"])
        if not size or any(len(v) != size for v in lists.values()):
            raise StanceModelError(f"malformed tree {number}: its lists must be non-empty and of one length")
        offset, own = sum(sizes), np.arange(size)
        inner = lists["feature"] >= 0
        children = np.concatenate([lists["left"][inner], lists["right"][inner]])
        if (lists["feature"] >= len(FEATURE_NAMES)).any() or (children >= size).any() \
                or (children <= np.tile(own[inner], 2)).any():
            raise StanceModelError(f"inconsistent tree {number}: a feature that does not exist, or a child outside "
                                   f"the tree or not after its parent")
        columns["feature"].append(lists["feature"])
        columns["threshold"].append(lists["threshold"])
        columns["value"].append(lists["value"])
        columns["left"].append(np.where(inner, lists["left"], own) + offset)  # a leaf points at itself
        columns["right"].append(np.where(inner, lists["right"], own) + offset)
        tree_class.append(tree["class"])
        sizes.append(size)
    columns = {name: np.concatenate(parts) for name, parts in columns.items()}
    roots = np.cumsum([0, *sizes[:-1]]).astype(np.int64)
    return StanceModel(classes, baseline, np.array(tree_class, dtype=np.int64), roots, columns["feature"],
                       columns["threshold"], columns["left"], columns["right"], columns["value"],
                       str(spec.get("trained_on", "")), hashlib.sha256(data).hexdigest())


_TREE_LISTS = {"feature": int, "threshold": float, "left": int, "right": int, "value": float}
_INT_LIMIT = 2 ** 62


def _numbers(values, kind, what: str) -> np.ndarray:
    """A flat list of finite numbers (whole ones where `kind` is int) as an array; StanceModelError otherwise."""
    if not isinstance(values, list) or not all(type(v) in ((int,) if kind is int else (int, float)) for v in values):
        raise StanceModelError(f"malformed {what}: expected a flat list of {'whole ' if kind is int else ''}numbers")
    if kind is int:
        if any(abs(v) >= _INT_LIMIT for v in values):
            raise StanceModelError(f"malformed {what}: a number out of range")
        return np.array(values, dtype=np.int64)
    array = np.array(values, dtype=float)
    if not np.isfinite(array).all():
        raise StanceModelError(f"malformed {what}: a number that is not finite")
    return array


def shipped_model_path() -> str:
    return shipped_path("stance.json")


@lru_cache(maxsize=1)
def load_stance_model() -> StanceModel:
    """The model shipped with claimbeam (pipelines.options reads any other file, from any filesystem)."""
    with open(shipped_model_path(), "rb") as f:
        return parse_stance_model(f.read())


def tree_lists(nodes: Sequence[tuple[int, float, int, int, float]], tree_class: int) -> dict:
    """One tree as the model file stores it, from its nodes (feature or -1, threshold, left, right, leaf value).

    A leaf keeps only its value and an inner node only its test, so the file holds no unused numbers.
    """
    rows = [(f, t, lc, rc, 0.0) if f >= 0 else (-1, 0.0, 0, 0, v) for f, t, lc, rc, v in nodes]
    feature, threshold, left, right, value = (list(c) for c in zip(*rows))
    return {"class": tree_class, "feature": feature, "threshold": threshold, "left": left, "right": right,
            "value": value}
