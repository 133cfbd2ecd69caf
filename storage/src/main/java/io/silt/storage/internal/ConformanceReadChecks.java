package io.silt.storage.internal;

import static io.silt.storage.internal.Conformance.show;
import static io.silt.storage.internal.ConformanceCheck.expect;
import static io.silt.storage.internal.ConformanceScratch.utf8;

import io.silt.storage.ByteRange;
import io.silt.storage.ConditionalGet;
import io.silt.storage.InvalidRangeException;
import io.silt.storage.ObjectData;
import io.silt.storage.ObjectInfo;
import io.silt.storage.ObjectStore;
import io.silt.storage.internal.ConformanceCheck.Result;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/** The required checks of conditional and ranged reads. Listing has its own class, {@link ConformanceListCheck}. */
public final class ConformanceReadChecks {
    /** An ETag no store will give the scratch objects. */
    static final String OTHER_ETAG = "\"0123456789abcdef0123456789abcdef\"";
    private static final String RANGE_BODY = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private ConformanceReadChecks() {}

    public static ConformanceCheck conditionalGet() {
        return new ConformanceCheck("conditional GET",
                "getIfChanged (If-None-Match: etag) answers NotModified for the current ETag, Modified with the"
                        + " object for any other, NotFound for a missing key", true,
                ConformanceReadChecks::conditionalGet);
    }

    public static ConformanceCheck rangedGet() {
        return new ConformanceCheck("ranged GET",
                "of/from/suffix ranges return the right bytes, offset and whole-object size; a range past the end is"
                        + " InvalidRange (416)", true, ConformanceReadChecks::rangedGet);
    }

    // ---------------------------------------------------------------- conditional GET

    private static Result conditionalGet(ObjectStore store, ConformanceScratch scratch) {
        String key = scratch.key("conditional/object");
        byte[] v1 = utf8("version one " + scratch.token());
        ObjectInfo w1 = store.put(key, v1, Map.of());
        ConditionalGet same = store.getIfChanged(key, w1.etag());
        expect(same instanceof ConditionalGet.NotModified,
                () -> "getIfChanged with the current ETag answered " + name(same) + " instead of NotModified");

        ConditionalGet other = store.getIfChanged(key, OTHER_ETAG);
        expect(other instanceof ConditionalGet.Modified, () -> "getIfChanged with another ETag answered "
                + name(other) + " instead of Modified");
        ObjectData d = ((ConditionalGet.Modified) other).data();
        expect(Arrays.equals(d.bytes(), v1), () -> "getIfChanged with another ETag returned " + show(d.bytes()));

        byte[] v2 = utf8("version two, longer " + scratch.token());
        ObjectInfo w2 = store.put(key, v2, Map.of());
        ConditionalGet changed = store.getIfChanged(key, w1.etag());
        expect(changed instanceof ConditionalGet.Modified, () -> "getIfChanged with the ETag before an overwrite"
                + " answered " + name(changed) + " instead of Modified");
        ObjectData d2 = ((ConditionalGet.Modified) changed).data();
        expect(Arrays.equals(d2.bytes(), v2) && d2.etag().equals(w2.etag()), () -> "getIfChanged after an overwrite"
                + " returned " + show(d2.bytes()) + " with ETag " + d2.etag() + ", expected the new version "
                + w2.etag());
        ConditionalGet now = store.getIfChanged(key, w2.etag());
        expect(now instanceof ConditionalGet.NotModified, () -> "getIfChanged with the new ETag after an overwrite"
                + " answered " + name(now) + " instead of NotModified");

        ConditionalGet missing = store.getIfChanged(scratch.missingKey("conditional"), w1.etag());
        expect(missing instanceof ConditionalGet.NotFound, () -> "getIfChanged of a missing key answered "
                + name(missing) + " instead of NotFound");
        return Result.pass("NotModified for the current ETag, Modified otherwise, NotFound when missing");
    }

    private static String name(ConditionalGet g) {
        return g.getClass().getSimpleName();
    }

    // ---------------------------------------------------------------- ranged GET

    private static Result rangedGet(ObjectStore store, ConformanceScratch scratch) {
        String key = scratch.key("range/object");
        byte[] body = utf8(RANGE_BODY);
        int size = body.length;
        store.put(key, body, Map.of());
        expectRange(store, key, ByteRange.of(2, 3), 2, 5, size);
        expectRange(store, key, ByteRange.of(0, 1), 0, 1, size);
        expectRange(store, key, ByteRange.of(size - 1, 1), size - 1, size, size);
        expectRange(store, key, ByteRange.of(size - 2, 100), size - 2, size, size);   // cut at the end
        expectRange(store, key, ByteRange.from(50), 50, size, size);
        expectRange(store, key, ByteRange.from(0), 0, size, size);
        expectRange(store, key, ByteRange.suffix(5), size - 5, size, size);
        expectRange(store, key, ByteRange.suffix(size + 40), 0, size, size);           // longer than the object

        expectUnsatisfiable(store, key, ByteRange.of(size, 1));
        expectUnsatisfiable(store, key, ByteRange.from(size + 38));
        expect(store.get(scratch.missingKey("range"), ByteRange.of(0, 4)).isEmpty(),
                "a ranged GET of a missing key returned data");
        return Result.pass("of, from and suffix ranges right; past the end is InvalidRange");
    }

    private static void expectRange(ObjectStore store, String key, ByteRange range, int from, int to, int size) {
        Optional<ObjectData> read = store.get(key, range);
        expect(read.isPresent(), () -> "range " + range + " found no object");
        ObjectData d = read.get();
        byte[] expected = Arrays.copyOfRange(utf8(RANGE_BODY), from, to);
        expect(Arrays.equals(d.bytes(), expected), () -> "range " + range + " returned " + d.bytes().length
                + " bytes " + show(d.bytes()) + ", expected " + show(expected));
        expect(d.offset() == from, () -> "range " + range + " reported offset " + d.offset() + ", expected " + from);
        expect(d.info().size() == size, () -> "range " + range + " reported object size " + d.info().size()
                + ", expected the whole object's " + size);
    }

    private static void expectUnsatisfiable(ObjectStore store, String key, ByteRange range) {
        Optional<ObjectData> read;
        try {
            read = store.get(key, range);
        } catch (InvalidRangeException expected) {
            return;
        }
        throw new ConformanceCheck.Failure("range " + range + " past the end returned "
                + read.map(d -> d.bytes().length + " bytes").orElse("nothing") + " instead of InvalidRange (416)");
    }
}
