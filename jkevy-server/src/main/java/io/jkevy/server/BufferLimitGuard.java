package io.jkevy.server;

import io.jkevy.engine.Engine;
import io.jkevy.engine.Session;
import io.jkevy.engine.command.client.ClientInfo;
import io.jkevy.engine.ops.ClientBufferLimits;
import io.jkevy.engine.ops.Monitors;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Enforces one connection's client buffer limits: {@code client-output-buffer-limit} on the
 * bytes queued for the socket and not yet written (Netty's outbound buffer, which also counts
 * replies handed over from other threads the moment they are submitted), and
 * {@code client-query-buffer-limit} on received bytes not yet parsed into a command. A client
 * over a limit is closed at once, dropping its pending output, with Redis's log line.
 * Output checks may run on any thread (the connection's own after a flush, a writer thread
 * after delivering to it).
 */
final class BufferLimitGuard {
    private static final Logger log = LoggerFactory.getLogger(BufferLimitGuard.class);
    private static final byte[][] NO_ARGS = new byte[0][];

    private final Engine engine;
    private final Channel channel;
    private final ClientBufferLimits.Tracker tracker = new ClientBufferLimits.Tracker();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final AtomicBoolean recheck = new AtomicBoolean();
    private volatile Session session;

    BufferLimitGuard(Engine engine, Channel channel) {
        this.engine = engine;
        this.channel = channel;
    }

    void session(Session s) { session = s; }

    /** Bytes queued for the socket and not yet written. */
    long pendingOutput() {
        var out = channel.unsafe().outboundBuffer();
        return out == null ? 0 : out.totalPendingWriteBytes();
    }

    /**
     * Checks the output limit; closes the client and returns true when it is over.
     */
    boolean checkOutput() {
        Session s = session;
        if (s == null || closing.get()) return closing.get();
        ClientBufferLimits limits = engine.ops().bufferLimits();
        int cls = ClientBufferLimits.classOf(s);
        if (limits.hard(cls) == 0 && limits.soft(cls) == 0) return false;
        long used = pendingOutput();
        if (!tracker.exceeded(limits, cls, used, System.currentTimeMillis())) {
            // a client that stopped reading gets no more output (back-pressure stops reading
            // its requests), so nothing would look again: look again when the soft time is up
            if (tracker.softClockRunning() && !recheck.getAndSet(true)) {
                channel.eventLoop().schedule(() -> {
                    recheck.set(false);
                    checkOutput();
                }, limits.softSeconds(cls) * 1000 + 50, TimeUnit.MILLISECONDS);
            }
            return false;
        }
        if (closing.compareAndSet(false, true)) {
            log.warn("Client {} scheduled to be closed ASAP for overcoming of output buffer limits.", info(s));
            channel.close();
        }
        return true;
    }

    /**
     * Checks the unparsed input against client-query-buffer-limit; closes the client and
     * returns true when it is over.
     */
    boolean checkQuery(ByteBuf unparsed) {
        if (unparsed == null || unparsed.readableBytes() <= engine.ops().queryBufferLimit()) return false;
        if (closing.compareAndSet(false, true)) {
            byte[] head = new byte[Math.min(64, unparsed.readableBytes())];
            unparsed.getBytes(unparsed.readerIndex(), head);
            Session s = session;
            log.warn("Closing client that reached max query buffer length: {} (qbuf initial bytes: {})",
                    s == null ? channel.remoteAddress() : info(s), Monitors.quote(head));
            channel.close();
        }
        return true;
    }

    private String info(Session s) {
        return ClientInfo.line(s, null, NO_ARGS, System.currentTimeMillis());
    }
}
