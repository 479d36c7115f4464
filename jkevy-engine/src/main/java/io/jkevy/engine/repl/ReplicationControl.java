package io.jkevy.engine.repl;

import io.jkevy.engine.Session;
import io.jkevy.engine.command.CommandSpec;
import io.jkevy.resp.RespWriter;

/**
 * What the engine asks of the replication layer (the server or embedded store wires it):
 * the write and read gates of spec/replication.md, acknowledgements for {@code WAIT}, the
 * role for {@code ROLE} and {@code INFO replication}, and {@code REPLICAOF}. Absent (null)
 * while replication is dormant.
 */
public interface ReplicationControl {
    /**
     * Null when {@code s} may run {@code spec} now; else the error to answer:
     * {@code READONLY} (a write on a read-only replica), {@code STALE} (a read on a replica
     * whose upstream went quiet for longer than allowed) or {@code NOREPLICAS}.
     */
    String gate(Session s, CommandSpec spec, long nowMillis);

    /** True while this node follows an upstream. */
    boolean isReplica();

    /** Replicas that acknowledged every frame before {@code nextOffset} (WAIT). */
    int ackedAtLeast(long nextOffset);

    /** Sends replicas what is pending now rather than at the next tick (a client waits in WAIT). */
    default void hurry() { }

    /** REPLICAOF host port (the upstream's replication port); null when done, else the error. */
    String replicaOf(String host, int port);

    /** REPLICAOF NO ONE: promote to primary; null when done, else the error. */
    String promote();

    /** The ROLE reply. */
    void role(RespWriter out);

    /** The fields of INFO's replication section (without its header). */
    void info(StringBuilder sb);

    /** {@code host:port} of the node that takes writes for this one ({@code MISDIRECTED}). */
    String writerAddress();
}
