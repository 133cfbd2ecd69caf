package io.silt.client.internal;

/** A client working on the bucket itself through a {@link DirectTransport}. */
public final class DirectClient extends TransportClient {
    private final DirectTransport transport;

    public DirectClient(DirectTransport transport) {
        super(transport);
        this.transport = transport;
    }

    @Override
    public DirectTransport transport() {
        return transport;
    }
}
