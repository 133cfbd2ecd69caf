package io.silt.storage.internal;

import static io.silt.storage.internal.ConformanceCheck.expect;
import static io.silt.storage.internal.ConformanceScratch.utf8;

import io.silt.storage.ListPage;
import io.silt.storage.ObjectInfo;
import io.silt.storage.ObjectKeys;
import io.silt.storage.ObjectStore;
import io.silt.storage.internal.ConformanceCheck.Result;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/** The required listing check: prefix filter, UTF-8 order, startAfter and paging. */
public final class ConformanceListCheck {
    /** Names in UTF-8 byte order (where UTF-16 order agrees; see {@link #orderBeyondBmp()} for where it does not). */
    private static final List<String> ORDERED = List.of("a", "a-c", "a.c", "a0", "b", "sub-x", "sub/x", "sub0", "z",
            "\u00e9", "\u00e9t\u00e9", "\u65e5\u672c");
    private static final int PAGED = 25;
    private static final int PAGE_SIZE = 7;

    private ConformanceListCheck() {}

    public static ConformanceCheck listing() {
        return new ConformanceCheck("listing",
                "ListObjectsV2 filters by prefix, lists in UTF-8 byte order, honours startAfter and pages with a small"
                        + " maxKeys", true, ConformanceListCheck::run);
    }

    /**
     * Information only: keys with characters beyond U+FFFF list in UTF-8 byte order, as on S3, not in UTF-16 order
     * (where U+1F600 sorts before U+FF21). S3Proxy 4.1.0 (filesystem) lists them in UTF-16 order. Silt's own keys are
     * ASCII, so it does not depend on this.
     */
    public static ConformanceCheck orderBeyondBmp() {
        return new ConformanceCheck("listing order beyond U+FFFF",
                "keys with characters beyond U+FFFF (emoji) list in UTF-8 byte order as on S3, not UTF-16 order"
                        + " (Silt's own keys are ASCII)", false, ConformanceListCheck::orderBeyondBmp);
    }

    private static Result orderBeyondBmp(ObjectStore store, ConformanceScratch scratch) {
        List<String> names = List.of("z", "\uff21", "\ud83d\ude00"); // z < U+FF21 < U+1F600 in UTF-8 byte order
        List<String> shuffled = new ArrayList<>(names);
        Collections.shuffle(shuffled, scratch.random());
        for (String n : shuffled) {
            store.put(scratch.key("list-order/" + n), utf8(n), Map.of());
        }
        String prefix = scratch.prefix() + "list-order/";
        List<String> listed = keys(store.list(prefix, null, 1000).objects()).stream()
                .map(k -> k.substring(prefix.length())).toList();
        if (listed.equals(names)) {
            return Result.pass("U+FF21 before U+1F600, as in UTF-8 byte order");
        }
        if (listed.equals(List.of("z", "\ud83d\ude00", "\uff21"))) {
            return Result.fail("lists in UTF-16 order (U+1F600 before U+FF21), not S3's UTF-8 byte order");
        }
        return Result.fail("listed " + listed.stream().map(ConformanceListCheck::codePoints).toList()
                + ", expected [U+007A, U+FF21, U+1F600]");
    }

    private static String codePoints(String s) {
        return String.join(" ", s.codePoints().mapToObj(c -> String.format("U+%04X", c)).toList());
    }

    private static Result run(ObjectStore store, ConformanceScratch scratch) {
        String orderPrefix = scratch.prefix() + "list/o/";
        String pagePrefix = scratch.prefix() + "list/pg/";
        List<String> ordered = ORDERED.stream().map(n -> orderPrefix + n).toList();
        List<String> paged = new ArrayList<>();
        for (int i = 0; i < PAGED; i++) {
            paged.add(pagePrefix + String.format("%03d", i));
        }
        List<String> all = new ArrayList<>(ordered);
        all.addAll(paged);
        all.add(scratch.prefix() + "list/o-outside");   // shares "list/o" but not "list/o/"
        all.add(scratch.prefix() + "list/pg0");         // shares "list/pg" but not "list/pg/"
        Collections.shuffle(all, scratch.random());
        for (String key : all) {
            scratch.key(key.substring(scratch.prefix().length()));
            store.put(key, utf8(key), Map.of());
        }

        List<ObjectInfo> listed = store.list(orderPrefix, null, 1000).objects();
        expect(keys(listed).equals(ordered), () -> "prefix " + rel(scratch, orderPrefix) + " listed "
                + rel(scratch, keys(listed)) + ", expected " + rel(scratch, ordered));
        for (ObjectInfo info : listed) {
            expect(info.size() == utf8(info.key()).length && !info.etag().isBlank(),
                    () -> "listing reported size " + info.size() + " and ETag '" + info.etag() + "' for "
                            + rel(scratch, info.key()));
        }
        List<String> aPrefix = keys(store.list(orderPrefix + "a", null, 1000).objects());
        expect(aPrefix.equals(ordered.subList(0, 4)), () -> "prefix " + rel(scratch, orderPrefix + "a") + " listed "
                + rel(scratch, aPrefix));
        List<String> subPrefix = keys(store.list(orderPrefix + "sub/", null, 1000).objects());
        expect(subPrefix.equals(List.of(orderPrefix + "sub/x")), () -> "prefix " + rel(scratch, orderPrefix + "sub/")
                + " listed " + rel(scratch, subPrefix));

        checkPaging(store, scratch, pagePrefix, paged);
        checkStartAfter(store, scratch, pagePrefix, paged);
        return Result.pass("prefix filter, UTF-8 order, startAfter and pages of " + PAGE_SIZE + " over " + PAGED
                + " keys right");
    }

    private static void checkPaging(ObjectStore store, ConformanceScratch scratch, String prefix, List<String> keys) {
        List<String> seen = new ArrayList<>();
        String after = null;
        int pages = 0;
        while (true) {
            ListPage page = store.list(prefix, after, PAGE_SIZE);
            pages++;
            int n = pages;
            expect(page.objects().size() <= PAGE_SIZE, () -> "page " + n + " held " + page.objects().size()
                    + " keys with maxKeys " + PAGE_SIZE);
            if (after != null && !page.objects().isEmpty()) {
                String firstKey = page.objects().get(0).key();
                String last = after;
                expect(ObjectKeys.compareUtf8(firstKey, last) > 0, () -> "page " + n + " after " + rel(scratch, last)
                        + " started at " + rel(scratch, firstKey) + ": startAfter was ignored");
            }
            seen.addAll(keys(page.objects()));
            if (!page.truncated() || page.objects().isEmpty()) {
                break;
            }
            expect(pages <= PAGED, "paging did not end after " + PAGED + " pages (truncated never became false)");
            after = page.nextStartAfter();
        }
        int total = pages;
        expect(seen.equals(keys), () -> "paging with maxKeys " + PAGE_SIZE + " over " + PAGED + " keys returned "
                + seen.size() + " keys in " + total + " pages: " + rel(scratch, seen));
    }

    private static void checkStartAfter(ObjectStore store, ConformanceScratch scratch, String prefix,
            List<String> keys) {
        List<String> tail = keys.subList(11, keys.size());
        List<String> afterKey = keys(store.list(prefix, keys.get(10), 1000).objects());
        expect(afterKey.equals(tail), () -> "startAfter " + rel(scratch, keys.get(10)) + " listed "
                + rel(scratch, afterKey));
        List<String> between = keys(store.list(prefix, keys.get(10) + "x", 1000).objects());
        expect(between.equals(tail), () -> "startAfter between two keys listed " + rel(scratch, between));
        List<String> before = keys(store.list(prefix, scratch.prefix() + "list/a", 1000).objects());
        expect(before.equals(keys), () -> "startAfter before the prefix listed " + before.size() + " of "
                + keys.size() + " keys");
        List<String> past = keys(store.list(prefix, scratch.prefix() + "list/zzz", 1000).objects());
        expect(past.isEmpty(), () -> "startAfter past the prefix listed " + rel(scratch, past));
    }

    private static List<String> keys(List<ObjectInfo> infos) {
        return infos.stream().map(ObjectInfo::key).toList();
    }

    private static String rel(ConformanceScratch scratch, String key) {
        return key.startsWith(scratch.prefix()) ? key.substring(scratch.prefix().length()) : key;
    }

    private static String rel(ConformanceScratch scratch, List<String> keys) {
        List<String> shown = keys.stream().limit(12).map(k -> rel(scratch, k)).toList();
        return shown + (keys.size() > shown.size() ? " (+" + (keys.size() - shown.size()) + " more)" : "");
    }
}
