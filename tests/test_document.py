"""The story schema is listed once, in ``pipeline.document``: the other lists derive from it."""

from __future__ import annotations

from dataclasses import fields

from pipeline.document import (
    DUPLICATE,
    MERGEABLE,
    METADATA,
    PRINTED,
    RUN_FIELDS,
    STORY_FIELDS,
    Document,
)
from pipeline.engine.records import story_record
from pipeline.io.parquet import parquet_schema
from pipeline.layout.segmentation import Story


def test_segmentation_story_has_exactly_the_schema_fields() -> None:
    assert tuple(f.name for f in fields(Story)) == ("text", *STORY_FIELDS)


def test_every_metadata_key_but_the_run_fields_is_a_document_field() -> None:
    document = {f.name for f in fields(Document)}
    missing = [name for name, _ in METADATA if name not in document]
    assert missing == ["invalid_bytes", "also_printed_in", "merged_from", "collated"]
    assert missing[1:] == list(RUN_FIELDS)
    assert isinstance(Document.invalid_bytes, property)  # counted from replaced_lines
    assert set(PRINTED) - {"text"} <= set(STORY_FIELDS)
    assert set(MERGEABLE) <= set(STORY_FIELDS)


def test_records_and_parquet_follow_the_schema() -> None:
    record = story_record(Document("d-s01", "正文。", "a.txt", "utf_8", reporters=("张三",)))
    assert list(record["metadata"]) == [name for name, _ in METADATA]
    assert record["metadata"]["reporters"] == ["张三"]
    assert record["metadata"]["also_printed_in"] == []
    schema = parquet_schema(duplicates=True)
    assert [f.name for f in schema.field("metadata").type] == [name for name, _ in METADATA]
    assert schema.names[3:] == [name for name, _ in DUPLICATE]
