package io.silt.storage;

import java.util.List;

/**
 * One page of a listing.
 *
 * @param objects the objects, in ascending key order; their metadata is empty
 * @param truncated whether more keys follow
 */
public record ListPage(List<ObjectInfo> objects, boolean truncated) {
    /** The largest page a store returns (S3's limit). */
    public static final int MAX_KEYS = 1000;

    public ListPage {
        objects = List.copyOf(objects);
    }

    /** The {@code startAfter} for the next page: the last key of this one, or {@code null} if the page is empty. */
    public String nextStartAfter() {
        return objects.isEmpty() ? null : objects.get(objects.size() - 1).key();
    }
}
