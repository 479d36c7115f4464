package io.jkevy.embedded.junit;

import io.jkevy.embedded.Store;

/** Where the in-process server of {@link JkevyExtension} listens, and the store behind it. */
public record JkevyEndpoint(String host, int port, Store store) {
    /** {@code redis://host:port}, for clients that take a URI. */
    public String uri() { return "redis://" + host + ":" + port; }
}
