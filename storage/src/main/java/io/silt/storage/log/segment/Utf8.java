package io.silt.storage.log.segment;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** UTF-8 helpers for header names: exact length without allocating, and strict decoding. */
final class Utf8 {
    private Utf8() {}

    /** Rejects strings that UTF-8 cannot represent exactly (unpaired surrogates), so a round trip never alters them. */
    static void checkEncodable(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                    continue;
                }
                throw new IllegalArgumentException("header name has an unpaired surrogate at index " + i);
            }
            if (Character.isLowSurrogate(c)) {
                throw new IllegalArgumentException("header name has an unpaired surrogate at index " + i);
            }
        }
    }

    /** The number of bytes of the UTF-8 encoding of {@code s} (which has no unpaired surrogates). */
    static int encodedLength(String s) {
        int n = s.length();
        int bytes = n;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                if (c < 0x800) {
                    bytes += 1;
                } else if (Character.isHighSurrogate(c)) {
                    bytes += 2; // 4 bytes for 2 chars
                    i++;
                } else {
                    bytes += 2;
                }
            }
        }
        return bytes;
    }

    /** A strict decoder: malformed input is an error, never replaced. Not thread-safe; one per reader. */
    static CharsetDecoder newStrictDecoder() {
        return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
    }

    /** Decodes strictly; ASCII (the common case) takes a fast path. */
    static String decode(CharsetDecoder decoder, byte[] b, int off, int len) throws CharacterCodingException {
        boolean ascii = true;
        for (int i = off; i < off + len; i++) {
            if (b[i] < 0) {
                ascii = false;
                break;
            }
        }
        if (ascii) {
            return new String(b, off, len, StandardCharsets.ISO_8859_1);
        }
        decoder.reset();
        CharBuffer chars = decoder.decode(ByteBuffer.wrap(b, off, len));
        return chars.toString();
    }
}
