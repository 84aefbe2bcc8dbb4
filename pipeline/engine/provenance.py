"""What a story takes from its page, made its own, once the page is cut into stories.

Segmentation copies the page's fields into each story. A page's step may have changed one
story and not the others (a comma converted in the third story only): a story keeps the
steps that changed a line within its ``line_span`` (``Document.step_lines``), and every
step whose lines are unknown.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from pipeline.document import Document, Stats, changed_lines


def finish_stories(stories: Iterable[Document], stats: Stats) -> list[Document]:
    """The stories of one page (or record), each with its own steps."""
    return [_own_steps(story) for story in stories]


def note_step_lines(before: list[Document], after: list[Document]) -> list[Document]:
    """``after``, where a one-to-one stage added steps without saying which lines they
    changed (the convert stage, a stage of the caller's), with the lines its whole change
    touched: exact for a stage of one step."""
    if len(before) != len(after) or any(a.id != b.id for a, b in zip(before, after, strict=True)):
        return after  # not one to one (segmentation): nothing to compare
    noted = []
    for old, new in zip(before, after, strict=True):
        known = {k for k, _, _ in new.step_lines}
        missing = [k for k in range(len(old.steps), len(new.steps)) if k not in known]
        if missing:
            runs = changed_lines(old.text, new.text)
            lines = tuple((k, first, last) for k in missing for first, last in runs)
            new = replace(new, step_lines=(*new.step_lines, *lines))
        noted.append(new)
    return noted


def _own_steps(story: Document) -> Document:
    if story.parent_id is None or story.line_span is None or not story.steps:
        return replace(story, step_lines=())
    offset = story.first_line - 1  # spans count file lines, step_lines the page's
    first, last = story.line_span[0] - offset, story.line_span[1] - offset
    known: dict[int, bool] = {}
    for k, a, b in story.step_lines:
        known[k] = known.get(k, False) or (a <= last and first <= b)
    steps = tuple(step for k, step in enumerate(story.steps) if known.get(k, True))
    return replace(story, steps=steps, step_lines=())
