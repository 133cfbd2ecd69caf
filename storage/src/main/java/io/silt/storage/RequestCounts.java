package io.silt.storage;

/**
 * An immutable snapshot of the requests a {@link CountingObjectStore} sent, by the kinds S3 bills.
 *
 * @param puts PUT requests: {@code put}, {@code putIfAbsent} (whatever the answer), {@code putIfMatch}
 * @param gets GET requests: whole, ranged and conditional reads, including those answered 404 or 304
 * @param getsNotFound how many of {@code gets} found no object (404)
 * @param getsNotModified how many of {@code gets} were answered 304 Not Modified
 * @param heads HEAD requests
 * @param lists LIST requests (one per page)
 * @param deletes DELETE requests; a bulk delete counts one per 1000 keys, as S3 DeleteObjects
 * @param errors how many of all the above failed with an exception (they are counted in their kind too)
 * @param bytesWritten bytes sent in PUT bodies (also of PUTs that failed)
 * @param bytesRead bytes received in GET bodies
 */
public record RequestCounts(long puts, long gets, long getsNotFound, long getsNotModified, long heads, long lists,
        long deletes, long errors, long bytesWritten, long bytesRead) {

    public static final RequestCounts ZERO = new RequestCounts(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    /** All requests of every kind. */
    public long total() {
        return puts + gets + heads + lists + deletes;
    }

    /** The counts since {@code earlier}: this minus {@code earlier}, field by field. */
    public RequestCounts minus(RequestCounts earlier) {
        return new RequestCounts(puts - earlier.puts, gets - earlier.gets, getsNotFound - earlier.getsNotFound,
                getsNotModified - earlier.getsNotModified, heads - earlier.heads, lists - earlier.lists,
                deletes - earlier.deletes, errors - earlier.errors, bytesWritten - earlier.bytesWritten,
                bytesRead - earlier.bytesRead);
    }

    /** The sum of both, field by field (e.g. to add up several stores). */
    public RequestCounts plus(RequestCounts other) {
        return new RequestCounts(puts + other.puts, gets + other.gets, getsNotFound + other.getsNotFound,
                getsNotModified + other.getsNotModified, heads + other.heads, lists + other.lists,
                deletes + other.deletes, errors + other.errors, bytesWritten + other.bytesWritten,
                bytesRead + other.bytesRead);
    }

    /** What these requests cost at {@link CostModel#S3_STANDARD} list prices, in US dollars. */
    public double cost() {
        return CostModel.S3_STANDARD.cost(this);
    }
}
