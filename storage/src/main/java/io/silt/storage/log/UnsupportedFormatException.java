package io.silt.storage.log;

/** An object was written in a newer format than this version of Silt reads. Upgrade Silt to read it. */
public class UnsupportedFormatException extends LogException {
    private static final long serialVersionUID = 1L;

    public UnsupportedFormatException(String what, String key, int version, int newestKnown) {
        super(what + " '" + key + "' has format version " + version + " but this Silt reads up to version "
                + newestKnown + ": it was written by a newer Silt; upgrade to read it");
    }
}
