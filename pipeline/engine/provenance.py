"""What a story takes from its page, made its own, once the page is cut into stories.

Segmentation copies the page's fields into each story; three of them describe the page,
not the story, and are settled here, before the story is written and sketched:

- **steps**: a page's step may have changed one story and not the others (a comma
  converted in the third story only). A story keeps the steps that changed a line within
  its ``line_span`` (``Document.step_lines``), and every step whose lines are unknown.
- **records** (JSONL and Parquet inputs): a record is a whole document, not a page, so
  its first story does not "start inside a story"; its ``line_span`` is the record's own
  line (or row) in its file, where ``explain`` should point; ``source_id`` keeps the
  record's id.
- **empty text**: a story that printed no body (a photo item, a caption alone, a headline
  whose story is elsewhere) takes its byline and caption as its text, or when it has
  neither its headline lines, in print order, one field a line, so that no record of the
  corpus has an empty ``text``; counted as ``stories.text_from_fields`` (the line breaks
  it adds as characters added by it).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from pipeline.document import ENDINGS, HEADINGS, Document, Stats, changed_lines

# The reason segmentation gives a story that opens a page with body text. A record is a
# whole document: its first story opens nothing in the middle.
PAGE_START_REASON = "the page starts inside a story"


def finish_stories(stories: Iterable[Document], stats: Stats) -> list[Document]:
    """The stories of one page (or record), each with its own steps, lines and text."""
    finished = []
    for story in stories:
        story = _own_steps(story)
        if story.encoding_method == "record":
            story = _record_story(story)
        if not story.text:
            story = _text_from_fields(story, stats)
        finished.append(story)
    return finished


def note_step_lines(before: list[Document], after: list[Document]) -> list[Document]:
    """``after``, where a one-to-one stage added steps without saying which lines they
    changed (the convert stage, a stage of the caller's), with the lines its whole change
    touched: exact for a stage of one step."""
    if len(before) != len(after) or any(a.id != b.id for a, b in zip(before, after, strict=True)):
        return after  # not one to one (segmentation): nothing to compare
    noted = []
    for old, new in zip(before, after, strict=True):
        if new.parent_id is not None:  # a story's own steps (convert per story) stay its own
            noted.append(new)
            continue
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


def _record_story(story: Document) -> Document:
    line = story.first_line  # the record's line (or row): all its text is on it
    if story.fragment and PAGE_START_REASON in (story.fragment_reason or ""):
        story = replace(story, fragment=False, fragment_reason=None)
    return replace(story, line_span=(line, line))


def _text_from_fields(story: Document, stats: Stats) -> Document:
    """The text of a story that printed no body: its byline and caption when it has them
    (a photo item keeps its headline as its title: 谢瓦尔德纳泽说 over its caption), else
    its headline lines, one field a line."""
    for fields in (ENDINGS, HEADINGS):
        printed = [value for name in fields if (value := getattr(story, name))]
        if printed:
            break
    else:
        return story
    stats.events["stories.text_from_fields"] += 1
    stats.chars["stories.text_from_fields"] -= len(printed) - 1  # the "\n"s it added
    cleared: dict[str, Any] = dict.fromkeys(fields)
    return replace(story, text="\n".join(printed), **cleared)
