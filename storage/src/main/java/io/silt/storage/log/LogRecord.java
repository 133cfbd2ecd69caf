package io.silt.storage.log;

import io.silt.storage.log.segment.Record;

/** A record read from a partition, with its offset. */
public record LogRecord(long offset, Record record) {}
