"""Run settings as a self-validating dataclass, separate from Beam's own pipeline options."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from functools import lru_cache

from claims.copies import CopyParams
from claims.matching import MatchParams
from claims.mentions import SplitParams
from claims.records import ReadParams
from claims.scoring import ScoreParams
from claims.verify import Target, VerifyParams


@dataclass(frozen=True, kw_only=True)
class ClaimParams:
    """Everything that decides the tables, and nothing about where they are read from or written to: the
    settings of `ExtractClaims` inside a user's own pipeline, and of every `claimbeam run`."""

    read: ReadParams = field(default_factory=ReadParams)
    split: SplitParams = field(default_factory=SplitParams)
    copies: CopyParams = field(default_factory=CopyParams)
    match: MatchParams = field(default_factory=MatchParams)
    score: ScoreParams = field(default_factory=ScoreParams)
    targets: tuple[Target, ...] = ()  # verify mode when not empty (--claims)
    verify: VerifyParams = field(default_factory=VerifyParams)
    stance_model: str | None = None  # a model file for verify.stance "model"; None: the one shipped with claimbeam

    @property
    def verify_mode(self) -> bool:
        return bool(self.targets)

    def __post_init__(self):
        if not all(isinstance(t, Target) for t in self.targets):
            raise ValueError("targets must be claims.verify.Target values (see claims.verify.parse_targets)")

    def load_stance_model(self):
        """The stance model this run reads stances with; None outside verify mode or under the rules."""
        if not self.verify_mode or self.verify.stance != "model":
            return None
        return _stance_model(self.stance_model)


@dataclass(frozen=True, kw_only=True)
class RunConfig(ClaimParams):
    """A whole `claimbeam run`: the claim settings, plus its input files and its output directory."""

    inputs: tuple[str, ...]
    output: str
    num_shards: int = 1
    targets_path: str | None = None

    def __post_init__(self):
        super().__post_init__()
        if not self.inputs:
            raise ValueError("at least one input file is needed")
        if not self.output:
            raise ValueError("an output directory is needed")
        if self.num_shards < 1:
            raise ValueError("num_shards must be at least 1")

    def parameters(self) -> dict:
        """The settings recorded in manifest.json."""
        parameters = {"read": asdict(self.read), "split": asdict(self.split), "copies": asdict(self.copies), "match": asdict(self.match),
                      "score": asdict(self.score), "num_shards": self.num_shards}
        if self.verify_mode:
            parameters["verify"] = {**asdict(self.verify), "targets": self.targets_path,
                                    "n_targets": len(self.targets)}
            model = self.load_stance_model()
            if model is not None:
                parameters["verify"]["stance_model"] = {"path": self.stance_model or "shipped",
                                                        "sha256": model.sha256, "trained_on": model.trained_on}
        return parameters


@lru_cache(maxsize=4)
def _stance_model(path: str | None):
    """The shipped stance model, or the one at `path` on any Beam filesystem (a local file, gs://, s3://, ...)."""
    from claims.stance_model import load_stance_model, parse_stance_model

    if path is None:
        return load_stance_model()
    from apache_beam.io.filesystems import FileSystems

    with FileSystems.open(path, compression_type="uncompressed") as f:
        return parse_stance_model(f.read())
