package io.silt.storage;

/**
 * Prices requests, in US dollars per 1,000 requests of each billing class. Storage and data transfer are not
 * included (transfer between S3 and compute in the same region is free).
 *
 * @param putPer1000 PUT, COPY, POST and LIST requests
 * @param getPer1000 GET, SELECT and all other requests (HEAD is billed as "all other")
 * @param deletePer1000 DELETE requests
 */
public record CostModel(double putPer1000, double getPer1000, double deletePer1000) {

    /**
     * AWS S3 Standard list prices, US East (N. Virginia), as published on https://aws.amazon.com/s3/pricing/
     * ("Requests &amp; data retrievals"): PUT, COPY, POST, LIST $0.005 per 1,000; GET, SELECT and all other requests
     * $0.0004 per 1,000; DELETE and CANCEL requests are free. These are the prices DESIGN.md's cost targets use.
     */
    public static final CostModel S3_STANDARD = new CostModel(0.005, 0.0004, 0.0);

    /** @throws IllegalArgumentException if a price is negative */
    public CostModel {
        if (putPer1000 < 0 || getPer1000 < 0 || deletePer1000 < 0) {
            throw new IllegalArgumentException("prices must not be negative");
        }
    }

    /** The price of {@code counts}: PUTs and LISTs at the PUT price, GETs and HEADs at the GET price. */
    public double cost(RequestCounts counts) {
        return ((counts.puts() + counts.lists()) * putPer1000
                + (counts.gets() + counts.heads()) * getPer1000
                + counts.deletes() * deletePer1000) / 1000.0;
    }
}
