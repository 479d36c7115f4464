package io.jkevy.engine.pubsub;

import java.util.Arrays;

/** A byte string usable as a hash key (channel names, patterns, tracked keys, prefixes). */
record Bytes(byte[] b) {
    @Override public boolean equals(Object o) { return o instanceof Bytes x && Arrays.equals(b, x.b); }

    @Override public int hashCode() { return Arrays.hashCode(b); }

    @Override public String toString() { return new String(b, java.nio.charset.StandardCharsets.UTF_8); }

    boolean startsWith(byte[] prefix) {
        return prefix.length <= b.length && Arrays.equals(b, 0, prefix.length, prefix, 0, prefix.length);
    }
}
