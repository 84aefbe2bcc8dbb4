"""The lines of a page -> stories: line shapes and facts, column-break repair, hyphens,
page furniture and story segmentation."""
