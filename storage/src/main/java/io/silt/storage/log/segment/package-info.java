/**
 * The segment format: immutable objects holding record batches of one partition, uploaded before the commit log
 * assigns offsets. Write with {@link io.silt.storage.log.segment.SegmentWriter}, read with
 * {@link io.silt.storage.log.segment.SegmentReader}; the byte layout is documented on {@code SegmentWriter} and in
 * {@code docs/rfcs/0001-segment-format.md}.
 */
package io.silt.storage.log.segment;
