package io.silt.storage.log;

/**
 * Where an appended batch landed.
 *
 * @param baseOffset the offset of its first record
 * @param recordCount how many records it holds
 * @param commitSeq the number of the commit record that holds it
 * @param duplicate whether it was a retry of a batch that was already in the log (then nothing was written)
 */
public record AppendResult(long baseOffset, int recordCount, long commitSeq, boolean duplicate) {}
