package io.silt.client.internal;

import io.silt.client.InvalidRequestException;
import java.nio.ByteBuffer;
import java.util.Base64;

/**
 * What a receipt handle says, opaque to users: which queue (a hash of topic incarnation and queue name), where the
 * message is, which lease delivered it and at which index
 * of the lease, and how many times it had been delivered.
 */
record QueueReceipt(int queue, int partition, long lease, int index, long offset, int deliveryCount) {
    private static final int VERSION = 1;
    private static final int SIZE = 1 + 4 + 4 + 8 + 4 + 8 + 4;

    String encode() {
        ByteBuffer b = ByteBuffer.allocate(SIZE).put((byte) VERSION).putInt(queue).putInt(partition).putLong(lease).putInt(index)
                .putLong(offset).putInt(deliveryCount);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
    }

    static QueueReceipt decode(String receipt) {
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(receipt);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw invalid(receipt);
        }
        if (bytes.length != SIZE || bytes[0] != VERSION) {
            throw invalid(receipt);
        }
        ByteBuffer b = ByteBuffer.wrap(bytes, 1, SIZE - 1);
        return new QueueReceipt(b.getInt(), b.getInt(), b.getLong(), b.getInt(), b.getLong(), b.getInt());
    }

    private static InvalidRequestException invalid(String receipt) {
        return new InvalidRequestException("'" + receipt + "' is not a receipt handle of this Silt version; pass "
                + "QueueMessage.receipt() exactly as received");
    }
}
