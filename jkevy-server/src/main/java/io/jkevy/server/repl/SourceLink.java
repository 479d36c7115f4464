package io.jkevy.server.repl;

import io.jkevy.engine.Engine;
import io.jkevy.engine.Session;
import io.jkevy.engine.persist.Durability;
import io.jkevy.journal.Journal;
import io.jkevy.replicate.wire.HandshakeParser;
import io.jkevy.replicate.wire.WireException;
import io.jkevy.resp.RespLimits;
import io.jkevy.resp.RespProtocolException;
import io.jkevy.resp.RespRequestParser;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One replica's connection to this primary. Before anything is sent the replica must
 * authenticate when the node requires it ({@code AUTH [user] password}); then the
 * handshake, the {@code +ACK}, the resume or snapshot path, and live frames read from the
 * journal's backlog at this link's own pace ({@link #pump}, on the channel's event loop, as
 * long as the channel is writable). {@code REPLCONF ACK} lines feed the slot table.
 */
final class SourceLink extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(SourceLink.class);
    private static final byte[] CRLF = {'\r', '\n'};
    static final int CHUNK = 65536;

    enum State { HANDSHAKE, SNAPSHOT, STREAMING, CLOSED }

    private final ReplicationSource source;
    private final Engine engine;
    private final Channel ch;
    private final RespRequestParser parser = new RespRequestParser(new RespLimits());
    private ByteBuf inbound;
    private boolean authenticated;
    private volatile State state = State.HANDSHAKE;
    /** The generation the frames this link sends belong to, and the next offset it sends. */
    private long generation;
    private volatile long next;
    private volatile long acked = -1;
    private volatile String id;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Runnable pumpTask = this::pump;
    private final Object writable = new Object();

    SourceLink(ReplicationSource source, Channel ch) {
        this.source = source;
        this.engine = source.engine;
        this.ch = ch;
        this.authenticated = !engine.acl().defaultNeedsAuth();
    }

    String id() { return id; }

    long acked() { return acked; }

    long sent() { return next; }

    State state() { return state; }

    String ip() {
        return ch.remoteAddress() instanceof InetSocketAddress a ? a.getAddress().getHostAddress() : "?";
    }

    int remotePort() {
        return ch.remoteAddress() instanceof InetSocketAddress a ? a.getPort() : 0;
    }

    // ---- inbound: AUTH, the handshake, then acks ----------------------------------------------

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        if (inbound == null) {
            inbound = in;
        } else {
            inbound = Unpooled.wrappedBuffer(inbound, in);
        }
        try {
            byte[][] argv;
            while (state != State.CLOSED && (argv = parser.parse(inbound)) != null) command(argv);
        } catch (RespProtocolException e) {
            refuse("protocol error: " + e.getMessage());
        }
        if (inbound != null && !inbound.isReadable()) {
            inbound.release();
            inbound = null;
        } else if (inbound != null && inbound.readableBytes() > 1 << 16) {
            refuse("request too long");
        }
    }

    private void command(byte[][] argv) {
        String verb = new String(argv[0], StandardCharsets.UTF_8);
        if (state != State.HANDSHAKE) {
            if (argv.length == 3 && verb.equalsIgnoreCase("replconf") && is(argv[1], "ack")) {
                long n = number(argv[2]);
                if (n < 0) {
                    refuse("invalid REPLCONF ACK offset");
                    return;
                }
                n = Math.min(n, next);      // nobody has applied what was not sent to it (WAIT counts these)
                acked = Math.max(acked, n);
                synchronized (source.slots) {
                    source.slots.acked(id, n, System.currentTimeMillis());
                }
                engine.wakeAckWaiters();
            }
            return;         // anything else from a replica is ignored, as the reference primary does
        }
        if (verb.equalsIgnoreCase("auth")) {
            auth(argv);
            return;
        }
        if (!authenticated) {
            refuse("NOAUTH Authentication required.", false);
            return;
        }
        List<String> words = new ArrayList<>(argv.length);
        for (byte[] a : argv) words.add(new String(a, StandardCharsets.UTF_8));
        HandshakeParser.Request r;
        try {
            r = HandshakeParser.fromWords(words);
        } catch (WireException e) {
            refuse(e.getMessage());
            return;
        }
        handshake(r);
    }

    private void auth(byte[][] argv) {
        if (argv.length != 2 && argv.length != 3) {
            refuse("ERR wrong number of arguments for 'auth' command", false);
            return;
        }
        byte[] user = argv.length == 3 ? argv[1] : "default".getBytes(StandardCharsets.US_ASCII);
        byte[] pass = argv[argv.length - 1];
        Session s = engine.internalSession();
        if (engine.acl().authenticate(s, user, pass, argv, engine.clock().millis())) {
            authenticated = true;
            ch.writeAndFlush(Unpooled.wrappedBuffer("+OK\r\n".getBytes(StandardCharsets.US_ASCII)));
        } else {
            log.warn("replica at {} failed to authenticate", ch.remoteAddress());
            refuse(io.jkevy.engine.acl.Acl.WRONGPASS, false);
        }
    }

    private void handshake(HandshakeParser.Request r) {
        if (source.replication.isReplica()) {
            refuse("this node is a replica: replicate from its primary (chain replication is refused)");
            return;
        }
        id = r.replicaId();
        for (SourceLink other : source.links) {
            if (other != this && id.equals(other.id)) other.close();      // the same replica again: its old link is dead
        }
        source.links.add(this);
        source.replication.primaryActive();
        synchronized (source.slots) {
            source.slots.connected(id, System.currentTimeMillis());
        }
        Journal j = engine.journal();
        long gen;
        boolean resume;
        synchronized (j) {
            gen = j.generation();
            // generation 0 means "no data": always a snapshot, even of an empty keyspace
            resume = r.generation() != 0 && j.covers(r.generation(), r.fromOffset()) && r.fromOffset() >= j.backlogFirstOffset();
        }
        write("+ACK " + gen + " " + r.fromOffset());
        if (resume) {
            log.info("replica {} ({}) resumes at offset {} of generation {}", id, ch.remoteAddress(), r.fromOffset(), Long.toHexString(gen));
            generation = gen;
            next = r.fromOffset();
            state = State.STREAMING;
            ch.flush();
            startTicker();
            pump();
        } else {
            log.info("replica {} ({}) asked for ({}, {}): full snapshot", id, ch.remoteAddress(), Long.toHexString(r.generation()), r.fromOffset());
            startSnapshot();
        }
    }

    private static boolean is(byte[] a, String lower) {
        return new String(a, StandardCharsets.UTF_8).equalsIgnoreCase(lower);
    }

    private static long number(byte[] a) {
        try {
            return Long.parseLong(new String(a, StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private void refuse(String reason) { refuse("ERR " + reason, true); }

    private void refuse(String error, boolean log) {
        if (log) SourceLink.log.warn("replication handshake from {} refused: {}", ch.remoteAddress(), error);
        state = State.CLOSED;
        ch.writeAndFlush(Unpooled.wrappedBuffer(("-" + error + "\r\n").getBytes(StandardCharsets.UTF_8)))
                .addListener(f -> ch.close());
    }

    private void write(String line) {
        byte[] b = new byte[line.length() + 2];
        for (int i = 0; i < line.length(); i++) b[i] = (byte) line.charAt(i);
        b[b.length - 2] = '\r';
        b[b.length - 1] = '\n';
        ch.write(Unpooled.wrappedBuffer(b));
    }

    // ---- outbound: snapshot, frames, heartbeats ------------------------------------------------

    /**
     * Something was appended to the journal. Frames go out every millisecond ({@link #ticker}),
     * in one write per tick: a write and a task per burst of client writes cost the primary
     * more than the frames themselves (measured: docs/benchmarks.md). {@link #hurry} sends at
     * once (WAIT), and so does a connection that becomes writable again.
     */
    void wake() {
        if (!scheduled.get()) scheduled.set(true);
    }

    /** Sends what is pending now, on the channel's event loop (a client waits in WAIT). */
    void hurry() {
        if (state == State.STREAMING) ch.eventLoop().execute(pumpTask);
    }

    private java.util.concurrent.ScheduledFuture<?> ticker;

    private void startTicker() {
        if (ticker == null) {
            ticker = ch.eventLoop().scheduleAtFixedRate(() -> {
                try {
                    if (scheduled.get()) pump();
                } catch (RuntimeException e) {
                    // a periodic task that throws is never run again: drop the link instead, the
                    // replica reconnects (and says where it is)
                    log.error("replica {}: sending frames failed; closing the link", id, e);
                    close();
                }
            }, 1, 1, java.util.concurrent.TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Writes what the backlog holds from {@link #next} while the channel takes it. Appends made
     * while it runs do not schedule it again (the flag is still set); it looks once more at
     * the end, so one run serves a burst of writes with one flush.
     */
    private void pump() {
        // cleared before reading: an append from now on sets it again for the next tick
        scheduled.set(false);
        if (state != State.STREAMING) return;
        Journal j = engine.journal();
        int sent = 0;
        boolean more = false;
        while (ch.isWritable()) {
            if (sent >= 8192) {         // yield to the loop's other channels, then go on
                more = true;
                break;
            }
            // frames are copied from the backlog's blocks straight into the socket buffer
            ByteBuf out = ch.alloc().buffer(64 << 10);
            Journal.Read r = j.readInto(next, 4096, 256 << 10, (block, off, len) -> out.writeBytes(block, off, len));
            if (r instanceof Journal.Read.Frames f) {
                if (f.generation() != generation) {
                    if (!j.covers(generation, next)) {
                        out.release();
                        log.info("replica {}: generation changed to {} at offset {}: shipping a snapshot", id, Long.toHexString(f.generation()), next);
                        if (sent > 0) ch.flush();
                        startSnapshot();
                        return;
                    }
                    generation = f.generation();        // a promotion continued this history
                }
                int n = (int) (f.next() - next);
                if (n == 0) {
                    out.release();
                    break;
                }
                ch.write(out, ch.voidPromise());
                next = f.next();
                sent += n;
            } else {
                out.release();
                log.info("replica {} fell out of the backlog at offset {} ({}): shipping a snapshot", id, next, r.getClass().getSimpleName());
                if (sent > 0) ch.flush();
                startSnapshot();
                return;
            }
        }
        if (sent > 0) ch.flush();
        if (more) {                     // a backlog to catch up on: go on after the loop's other work
            scheduled.set(true);
            ch.eventLoop().execute(pumpTask);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ch.isWritable()) {
            synchronized (writable) {
                writable.notifyAll();
            }
            if (state == State.STREAMING) pump();
        }
        ctx.fireChannelWritabilityChanged();
    }

    void heartbeat() {
        if (state == State.HANDSHAKE || state == State.CLOSED) return;
        Journal.Position p = engine.journal().position();
        ch.eventLoop().execute(() -> {
            write("+PING " + p.generation() + " " + p.next());
            ch.flush();
        });
    }

    /**
     * The snapshot path: {@code +SNAPSHOT}, then a snapshot cut at this moment written to a
     * file (writes go on meanwhile) and streamed in chunks of at most 64 KiB as the channel
     * drains, then {@code +SNAPSHOT_END <offset>} and live frames from that offset.
     */
    private void startSnapshot() {
        state = State.SNAPSHOT;
        write("+SNAPSHOT");
        ch.flush();
        Thread t = new Thread(this::ship, "jkevy-repl-ship-" + id);
        t.setDaemon(true);
        t.start();
    }

    private void ship() {
        Path f = null;
        long t0 = System.nanoTime();
        try {
            Files.createDirectories(source.shipDir);
            f = Files.createTempFile(source.shipDir, "repl-ship-", ".snap");
            Durability.Written w = Durability.write(engine, f, null);
            long bytes = 0;
            try (FileChannel fc = FileChannel.open(f, StandardOpenOption.READ)) {
                ByteBuffer buf = ByteBuffer.allocate(CHUNK);
                while (state == State.SNAPSHOT && ch.isActive()) {
                    buf.clear();
                    int n = fc.read(buf);
                    if (n < 0) break;
                    if (n == 0) continue;
                    awaitWritable();
                    byte[] head = ("$" + n + "\r\n").getBytes(StandardCharsets.US_ASCII);
                    ch.writeAndFlush(Unpooled.wrappedBuffer(Unpooled.wrappedBuffer(head),
                            Unpooled.copiedBuffer(buf.array(), 0, n), Unpooled.wrappedBuffer(CRLF)));
                    bytes += n;
                }
            }
            final long size = bytes;
            ch.eventLoop().execute(() -> {
                if (state != State.SNAPSHOT) return;
                write("+SNAPSHOT_END " + w.offset());
                ch.flush();
                generation = w.generation();
                next = w.offset();
                state = State.STREAMING;
                startTicker();
                log.info("replica {}: snapshot of {} keys ({} bytes) at offset {} shipped in {} ms", id, w.entries(), size,
                        w.offset(), (System.nanoTime() - t0) / 1_000_000);
                pump();
            });
        } catch (IOException | RuntimeException e) {
            log.error("replica {}: snapshot ship failed: {}", id, e.toString());
            close();
        } finally {
            if (f != null) {
                try {
                    Files.deleteIfExists(f);
                } catch (IOException ignored) {
                    // a temporary file; the next ship reuses nothing of it
                }
            }
        }
    }

    private void awaitWritable() {
        synchronized (writable) {
            while (!ch.isWritable() && ch.isActive()) {
                try {
                    writable.wait(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    void close() {
        state = State.CLOSED;
        ch.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        state = State.CLOSED;
        if (ticker != null) ticker.cancel(false);
        if (inbound != null) {
            inbound.release();
            inbound = null;
        }
        if (source.links.remove(this) && id != null) {
            synchronized (source.slots) {
                source.slots.disconnected(id, System.currentTimeMillis());
            }
            log.info("replica {} disconnected", id);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("replica link {}: {}", id, cause.toString());
        ctx.close();
    }
}
