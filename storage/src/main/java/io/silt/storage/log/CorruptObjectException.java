package io.silt.storage.log;

/**
 * An object Silt wrote does not parse: bad magic, a CRC32C mismatch, a truncated body, a field out of range. The
 * message names the key and the byte position. Corrupt data is reported, never delivered.
 */
public class CorruptObjectException extends LogException {
    private static final long serialVersionUID = 1L;

    public CorruptObjectException(String message) {
        super(message);
    }

    public CorruptObjectException(String message, Throwable cause) {
        super(message, cause);
    }
}
