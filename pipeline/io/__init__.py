"""Bytes in, files out: finding and reading inputs, record formats, durable output files."""
