"""The exceptions the pipeline raises on purpose. Everything else is a bug."""

from __future__ import annotations


class PipelineError(Exception):
    """Base class: a failure the user can act on, described in one line."""


class ConfigError(PipelineError):
    """The configuration file or a ``--set`` override is invalid."""


class DecodeError(PipelineError):
    """Bytes could not be turned into Chinese text; carries what the quarantine records.

    ``offset`` is a byte offset into the raw file (``UnicodeDecodeError.start``) or None
    when the reason is not tied to one place (binary, not Chinese).
    """

    def __init__(self, reason: str, detail: str, offset: int | None = None) -> None:
        where = f" at byte {offset}" if offset is not None else ""
        super().__init__(f"{reason}{where}: {detail}")
        self.reason = reason
        self.detail = detail
        self.offset = offset


class Interrupted(PipelineError):  # noqa: N818 - reads as what happened: "Interrupted: ..."
    """The run was stopped (Ctrl-C, SIGTERM); finished units are kept for ``--resume``."""


class StageError(PipelineError):
    """A stage raised on one document; the run quarantines that document and goes on."""

    def __init__(self, stage: str, doc_id: str, error: BaseException) -> None:
        super().__init__(f"stage {stage} failed on {doc_id}: {type(error).__name__}: {error}")
        self.stage = stage
        self.doc_id = doc_id
        self.error = error
