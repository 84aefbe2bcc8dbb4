"""The per-page stages of a run, in the design card's order: the one list to read or edit.

Decoding comes before them (it takes bytes, ``pipeline.text.encoding``), deduplication
after (it needs every story of the run, ``pipeline.dedup``). To add a stage, write it as a
generator over documents (or lift a ``str -> str`` function with
:func:`pipeline.document.map_text`) and put it in this list: every worker builds its
stages here, once.
"""

from __future__ import annotations

from functools import partial

from pipeline.config import Config
from pipeline.document import Stage, Stats
from pipeline.layout import FolderTexts, Furniture, repair_lines, segment
from pipeline.text import convert, date_pages, fold_variant_glyphs, label_script, normalize


def build_stages(
    cfg: Config,
    stats: Stats,
    furniture: Furniture | None = None,
    folders: FolderTexts | None = None,
) -> list[tuple[str, Stage]]:
    """The per-page stages, in the design card's order. Decoding comes before (it takes
    bytes), deduplication after (it needs every story of the run). ``furniture`` is what
    the survey pass learned about each source folder's running heads, ``folders`` about its
    text (``pipeline.layout.learn_folders``).

    Script is converted per story, after segmentation (a Simplified page may carry a
    Traditional story): the page's script is only labelled before line repair, whose
    word patterns read either script, for stories too short to tell their own."""
    return [
        ("normalize", partial(normalize, cfg=cfg.normalize, stats=stats)),
        ("date", partial(date_pages, cfg=cfg.input, stats=stats)),
        ("script", partial(label_script, cfg=cfg.convert)),
        ("lines", partial(repair_lines, cfg=cfg.lines, stats=stats, folders=folders)),
        ("segment", partial(segment, cfg=cfg.segment, stats=stats, furniture=furniture)),
        ("convert", partial(convert, cfg=cfg.convert, stats=stats)),
        ("variants", partial(fold_variant_glyphs, cfg=cfg.convert, stats=stats)),
    ]
