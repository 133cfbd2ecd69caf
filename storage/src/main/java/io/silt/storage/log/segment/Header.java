package io.silt.storage.log.segment;

import java.util.Arrays;
import java.util.Objects;

/**
 * A record header: a name and an optional value.
 *
 * <p>The value array is not copied: do not change it after handing it over.
 *
 * @param name the header's name, not {@code null}; any string without unpaired surrogates (it is stored as UTF-8)
 * @param value the header's value, {@code null} allowed
 */
public record Header(String name, byte[] value) {

    public Header {
        Objects.requireNonNull(name, "header name");
        Utf8.checkEncodable(name);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Header h && h.name.equals(name) && Arrays.equals(h.value, value);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "Header[" + name + "=" + (value == null ? "null" : value.length + " bytes") + "]";
    }
}
