package io.silt.storage.internal;

import static io.silt.storage.internal.Conformance.show;
import static io.silt.storage.internal.ConformanceCheck.expect;
import static io.silt.storage.internal.ConformanceScratch.utf8;

import io.silt.storage.ConditionalGet;
import io.silt.storage.CreateResult;
import io.silt.storage.ObjectData;
import io.silt.storage.ObjectInfo;
import io.silt.storage.ObjectStore;
import io.silt.storage.internal.ConformanceCheck.Result;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The required checks of plain and create-only writes, read-after-write and deletes. */
public final class ConformanceWriteChecks {
    private ConformanceWriteChecks() {}

    public static ConformanceCheck createOnlyWrite() {
        return new ConformanceCheck("create-only write",
                "putIfAbsent (If-None-Match: *) creates a new key, answers AlreadyExists for an existing one and never"
                        + " overwrites it", true, ConformanceWriteChecks::createOnlyWrite);
    }

    public static ConformanceCheck readAfterWrite() {
        return new ConformanceCheck("read-after-write",
                "a written or overwritten object is readable at once with the same bytes, ETag and metadata", true,
                ConformanceWriteChecks::readAfterWrite);
    }

    public static ConformanceCheck deletes() {
        return new ConformanceCheck("delete and bulk delete",
                "delete and DeleteObjects remove objects (missing keys are no error); a deleted key reads as missing",
                true, ConformanceWriteChecks::deletes);
    }

    // ---------------------------------------------------------------- create-only write

    private static Result createOnlyWrite(ObjectStore store, ConformanceScratch scratch) {
        List<String> notes = new ArrayList<>();
        String key = scratch.key("create/00000000000000000001");
        String token = scratch.token();
        byte[] first = utf8("first writer " + token);
        CreateResult r1 = store.putIfAbsent(key, first, Map.of("silt-token", token));
        Optional<ObjectData> afterFirst = store.get(key);
        boolean stored = afterFirst.isPresent() && Arrays.equals(afterFirst.get().bytes(), first);
        if (r1 instanceof CreateResult.Unknown u) {
            expect(stored, () -> "putIfAbsent of a new key answered Unknown (" + Conformance.describe(u.cause())
                    + ") and the object was not written");
            notes.add("a new key answered Unknown but was written");
        } else {
            expect(r1.created(), "putIfAbsent of a new key answered " + name(r1) + " instead of Created");
            expect(stored, () -> "putIfAbsent of a new key answered Created but reading it back gave "
                    + afterFirst.map(d -> show(d.bytes())).orElse("nothing"));
        }
        expect(token.equals(afterFirst.get().info().metadata().get("silt-token")),
                () -> "metadata written by putIfAbsent did not round-trip: " + afterFirst.get().info().metadata());

        byte[] second = utf8("second writer " + scratch.token());
        CreateResult r2 = store.putIfAbsent(key, second, Map.of());
        byte[] now = store.get(key).map(ObjectData::bytes).orElse(null);
        expect(now != null, "the object disappeared after a second putIfAbsent");
        expect(Arrays.equals(now, first), () -> "a second putIfAbsent on an existing key answered " + name(r2)
                + " and overwrote it (stored bytes are now " + show(now) + "): If-None-Match: * is ignored");
        if (r2 instanceof CreateResult.Unknown u) {
            notes.add("an existing key answered Unknown (" + Conformance.describe(u.cause()) + ") but was kept");
        } else {
            expect(r2 instanceof CreateResult.AlreadyExists, () -> "a second putIfAbsent on an existing key answered "
                    + name(r2) + " instead of AlreadyExists (bytes were kept)");
        }

        String plainKey = scratch.key("create/00000000000000000002");
        byte[] plain = utf8("plain put " + scratch.token());
        store.put(plainKey, plain, Map.of());
        CreateResult r3 = store.putIfAbsent(plainKey, utf8("create-only " + scratch.token()), Map.of());
        byte[] plainNow = store.get(plainKey).map(ObjectData::bytes).orElse(null);
        expect(plainNow != null && Arrays.equals(plainNow, plain), () -> "putIfAbsent on a key written by a plain put"
                + " answered " + name(r3) + " and overwrote it");
        expect(!r3.created(), "putIfAbsent on a key written by a plain put answered Created (bytes were kept)");
        return Result.pass("created once, AlreadyExists afterwards, never overwritten"
                + (notes.isEmpty() ? "" : " (" + String.join("; ", notes) + ")"));
    }

    static String name(CreateResult r) {
        if (r instanceof CreateResult.Unknown u) {
            return "Unknown (" + Conformance.describe(u.cause()) + ")";
        }
        return r.getClass().getSimpleName();
    }

    // ---------------------------------------------------------------- read-after-write

    private static Result readAfterWrite(ObjectStore store, ConformanceScratch scratch) {
        String key = scratch.key("raw/object");
        byte[] body = new byte[256 + 4096];
        for (int i = 0; i < 256; i++) {
            body[i] = (byte) i; // every byte value, to catch stores that mangle binary bodies
        }
        System.arraycopy(scratch.randomBytes(4096), 0, body, 256, 4096);
        String token = scratch.token();
        Map<String, String> metadata = Map.of("silt-token", token, "silt-verify", "read-after-write");
        ObjectInfo written = store.put(key, body, metadata);
        expect(written.size() == body.length, () -> "put answered size " + written.size() + " for " + body.length
                + " bytes");
        expect(!written.etag().isBlank(), "put answered a blank ETag");
        expectSame(store, key, body, written.etag(), metadata, "right after put");

        byte[] body2 = scratch.randomBytes(1000);
        ObjectInfo overwritten = store.put(key, body2, Map.of("silt-token", token + "-2"));
        expect(!overwritten.etag().equals(written.etag()), "an overwrite with other bytes kept the same ETag");
        expectSame(store, key, body2, overwritten.etag(), Map.of("silt-token", token + "-2"), "right after overwrite");

        String created = scratch.key("raw/created");
        CreateResult c = store.putIfAbsent(created, utf8("created " + token), Map.of("silt-token", token));
        if (c instanceof CreateResult.Created cr) {
            expectSame(store, created, utf8("created " + token), cr.info().etag(), Map.of("silt-token", token),
                    "right after putIfAbsent");
        }

        String empty = scratch.key("raw/empty");
        store.put(empty, new byte[0], Map.of());
        Optional<ObjectData> e = store.get(empty);
        expect(e.isPresent() && e.get().bytes().length == 0 && e.get().info().size() == 0,
                () -> "an empty object read back as " + e.map(d -> d.bytes().length + " bytes").orElse("missing"));
        return Result.pass("bytes, ETag and metadata read back at once after put, overwrite and putIfAbsent");
    }

    private static void expectSame(ObjectStore store, String key, byte[] body, String etag,
            Map<String, String> metadata, String when) {
        Optional<ObjectData> read = store.get(key);
        expect(read.isPresent(), "the object was missing " + when);
        ObjectData d = read.get();
        expect(Arrays.equals(d.bytes(), body), () -> "get " + when + " returned other bytes (" + d.bytes().length
                + " bytes, expected " + body.length + ")");
        expect(d.info().size() == body.length, () -> "get " + when + " reported size " + d.info().size());
        expect(d.etag().equals(etag), () -> "get " + when + " returned ETag " + d.etag() + ", the write answered "
                + etag);
        expect(d.info().metadata().entrySet().containsAll(metadata.entrySet()),
                () -> "metadata " + when + " did not round-trip: wrote " + metadata + ", read " + d.info().metadata());
        ObjectInfo head = store.head(key).orElse(null);
        expect(head != null, "head " + when + " found nothing");
        expect(head.size() == body.length && head.etag().equals(etag)
                        && head.metadata().entrySet().containsAll(metadata.entrySet()),
                () -> "head " + when + " disagrees with the write: size " + head.size() + ", ETag " + head.etag()
                        + ", metadata " + head.metadata());
    }

    // ---------------------------------------------------------------- delete

    private static Result deletes(ObjectStore store, ConformanceScratch scratch) {
        String one = scratch.key("delete/one");
        store.put(one, utf8("doomed"), Map.of());
        store.delete(one);
        expect(store.get(one).isEmpty(), "get found a deleted object");
        expect(store.head(one).isEmpty(), "head found a deleted object");
        expect(store.getIfChanged(one, "\"0123456789abcdef0123456789abcdef\"") instanceof ConditionalGet.NotFound,
                "getIfChanged did not answer NotFound for a deleted object");
        store.delete(one);
        store.delete(scratch.missingKey("never-written"));
        CreateResult again = store.putIfAbsent(one, utf8("reborn"), Map.of());
        expect(!(again instanceof CreateResult.AlreadyExists), "putIfAbsent on a deleted key answered AlreadyExists");

        String keep = scratch.key("delete/keep");
        store.put(keep, utf8("keep me"), Map.of());
        List<String> bulk = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String k = scratch.key(String.format("delete/bulk/%02d", i));
            store.put(k, utf8("bulk " + i), Map.of());
            bulk.add(k);
        }
        List<String> toDelete = new ArrayList<>(bulk);
        toDelete.add(scratch.missingKey("bulk-never-written"));
        store.deleteAll(toDelete);
        for (String k : bulk) {
            expect(store.get(k).isEmpty(), () -> "bulk delete left " + k + " readable");
        }
        List<ObjectInfo> left = store.listAll(scratch.prefix() + "delete/bulk/");
        expect(left.isEmpty(), () -> "bulk delete left " + left.size() + " objects listed");
        expect(store.get(keep).isPresent(), "bulk delete removed an object it was not given");
        return Result.pass("single and bulk deletes remove objects, deleted keys read as missing");
    }
}
