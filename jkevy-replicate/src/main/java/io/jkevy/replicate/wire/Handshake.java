package io.jkevy.replicate.wire;

import java.nio.charset.StandardCharsets;

/** What a replica sends: the handshake and its acknowledgements (spec/replication.md). */
public final class Handshake {
    private Handshake() { }

    /** {@code REPLICATE FROM <generation> <from-offset> ID <replica-id>} as a RESP2 array of 6 bulk strings. */
    public static byte[] replicateFrom(long generation, long fromOffset, String replicaId) {
        if (replicaId.isEmpty()) throw new IllegalArgumentException("replica id must not be empty");
        String[] w = {"REPLICATE", "FROM", Long.toString(generation), Long.toString(fromOffset), "ID", replicaId};
        StringBuilder sb = new StringBuilder("*6\r\n");
        for (String s : w) sb.append('$').append(s.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(s).append("\r\n");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** {@code REPLCONF ACK <next-offset>} in the inline form the reference primary reads. */
    public static byte[] ack(long nextOffset) {
        return ("REPLCONF ACK " + nextOffset + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }
}
