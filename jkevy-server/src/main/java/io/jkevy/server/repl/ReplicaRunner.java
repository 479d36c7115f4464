package io.jkevy.server.repl;

import io.jkevy.engine.Engine;
import io.jkevy.engine.Session;
import io.jkevy.engine.persist.Durability;
import io.jkevy.engine.persist.SnapshotFile;
import io.jkevy.journal.Journal;
import io.jkevy.replicate.wire.Handshake;
import io.jkevy.replicate.wire.ReplicaStreamDecoder;
import io.jkevy.replicate.wire.ReplicaStreamDecoder.Event;
import io.jkevy.replicate.wire.WireException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A replica's link to one upstream (spec/replication.md): connect, authenticate when
 * {@code masterauth} is set, hand-shake with this node's own {@code (generation, offset)},
 * then apply what arrives — a snapshot that replaces the keyspace, or frames applied through
 * the engine at their own offsets (journaled locally with the upstream's offsets, so the
 * node can serve replicas the moment it is promoted). Acknowledges applied offsets at once
 * when caught up, at most every 5 ms while frames keep coming, and at least once a second. Reconnects with exponential backoff from
 * 100 ms to 5 s. All link state is per upstream (one runner per upstream).
 */
final class ReplicaRunner implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(ReplicaRunner.class);
    static final long MIN_BACKOFF = 100, MAX_BACKOFF = 5000;
    /** The link is dropped when the upstream sends nothing (not even a heartbeat) for this long. */
    static final long SILENCE_MILLIS = 10_000;
    /** While frames keep arriving, acknowledgements go at most this often. */
    static final long ACK_EVERY_MILLIS = 5;

    private final Replication repl;
    private final Engine engine;
    final String host;
    final int port;
    private volatile boolean running = true;
    private volatile Socket socket;
    private final Thread thread;
    private final Session applier;

    // observability (INFO replication), written by the runner thread
    volatile boolean linkUp;
    volatile boolean syncing;
    volatile long lastIoMillis;
    volatile long lastHeartbeatMillis;
    volatile long upstreamNext = -1;
    /** Set after a frame failed to apply: the next handshake asks for a snapshot (generation 0). */
    private volatile boolean resync;

    ReplicaRunner(Replication repl, String host, int port) {
        this.repl = repl;
        this.engine = repl.engine;
        this.host = host;
        this.port = port;
        this.applier = engine.internalSession();
        this.thread = new Thread(this, "jkevy-replica-" + host + ":" + port);
        this.thread.setDaemon(true);
        this.lastHeartbeatMillis = System.currentTimeMillis();
    }

    void start() { thread.start(); }

    void stop() {
        running = false;
        Socket s = socket;
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing
            }
        }
        thread.interrupt();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void run() {
        io.jkevy.store.Keyspace.markApplierThread();
        long backoff = MIN_BACKOFF;
        while (running) {
            boolean streamed = false;
            try {
                streamed = link();
            } catch (IOException | WireException | RuntimeException e) {
                if (running) log.warn("replication link to {}:{} lost: {}", host, port, e.getMessage() == null ? e.toString() : e.getMessage());
            } finally {
                linkUp = false;
                syncing = false;
                Socket s = socket;
                socket = null;
                if (s != null) {
                    try {
                        s.close();
                    } catch (IOException ignored) {
                        // already broken
                    }
                }
            }
            if (!running) break;
            if (streamed) backoff = MIN_BACKOFF;
            try {
                Thread.sleep(backoff);
            } catch (InterruptedException e) {
                if (!running) break;
            }
            backoff = Math.min(MAX_BACKOFF, backoff * 2);
        }
    }

    /** One connection; returns true once the upstream accepted the handshake. */
    private boolean link() throws IOException, WireException {
        Socket s = repl.connect(host, port);
        socket = s;
        if (!running) return false;
        s.setTcpNoDelay(true);
        s.setSoTimeout(250);
        InputStream in = s.getInputStream();
        OutputStream out = s.getOutputStream();
        byte[] buf = new byte[1 << 16];
        String pass = engine.config().get("masterauth");
        if (pass != null && !pass.isEmpty()) {
            String user = engine.config().get("masteruser");
            out.write(user == null || user.isEmpty() ? resp("AUTH", pass) : resp("AUTH", user, pass));
            out.flush();
            String reply = readLine(in, s);
            if (!reply.equals("+OK")) throw new IOException("the upstream refused AUTH: " + reply);
        }
        Journal j = engine.journal();
        Journal.Position at = j.position();
        out.write(resync ? Handshake.replicateFrom(0, 0, repl.replicaId())
                : Handshake.replicateFrom(at.generation(), at.next(), repl.replicaId()));
        out.flush();
        ReplicaStreamDecoder d = new ReplicaStreamDecoder();
        boolean accepted = false, decided = false;
        long ackGen = 0;
        FileChannel snap = null;
        Path snapFile = null;
        long snapBytes = 0;
        List<Event.Frame> group = null;
        long lastAckSent = -1, lastAckAt = 0;
        int db = j.currentDb();
        if (db >= 0) applier.db(db);
        lastIoMillis = System.currentTimeMillis();
        try {
            while (running) {
                int n;
                try {
                    n = in.read(buf);
                } catch (SocketTimeoutException e) {
                    n = 0;
                }
                long now = System.currentTimeMillis();
                if (n < 0) throw new IOException("the upstream closed the connection");
                if (n > 0) {
                    lastIoMillis = now;
                    d.feed(buf, 0, n);
                    boolean applied = false;
                    Event e;
                    while ((e = d.next()) != null) {
                        switch (e) {
                            case Event.Ack a -> {
                                accepted = true;
                                ackGen = a.generation();
                                linkUp = true;
                                lastHeartbeatMillis = now;
                                log.info("replicating from {}:{}: generation {}, asked from offset {}", host, port,
                                        Long.toHexString(a.generation()), a.fromOffset());
                            }
                            case Event.SnapshotStart ss -> {
                                decided = true;
                                syncing = true;
                                group = null;
                                Files.createDirectories(repl.shipDir);
                                snapFile = Files.createTempFile(repl.shipDir, "repl-recv-", ".snap");
                                snap = FileChannel.open(snapFile, StandardOpenOption.WRITE);
                                snapBytes = 0;
                            }
                            case Event.SnapshotChunk c -> {
                                snapBytes += c.data().length;
                                if (snapBytes > repl.maxSnapshotBytes) throw new IOException("snapshot larger than the cap of " + repl.maxSnapshotBytes + " bytes");
                                ByteBuffer bb = ByteBuffer.wrap(c.data());
                                while (bb.hasRemaining()) snap.write(bb);
                            }
                            case Event.SnapshotEnd se -> {
                                snap.close();
                                snap = null;
                                long t0 = System.nanoTime();
                                SnapshotFile.Loaded l = Durability.replaceFrom(engine, snapFile);
                                if (l.offset() != se.offset()) throw new IOException("snapshot is at offset " + l.offset() + ", the upstream said " + se.offset());
                                Files.deleteIfExists(snapFile);
                                snapFile = null;
                                applier.db(Math.max(0, l.db()));
                                resync = false;
                                syncing = false;
                                applied = true;
                                log.info("snapshot from {}:{} loaded: {} keys at offset {} of generation {} ({} bytes, {} ms)", host, port,
                                        l.entries(), l.offset(), Long.toHexString(l.generation()), snapBytes, (System.nanoTime() - t0) / 1_000_000);
                            }
                            case Event.Ping p -> {
                                lastHeartbeatMillis = now;
                                upstreamNext = p.nextOffset();
                                if (!decided) decided = resumed(ackGen);
                            }
                            case Event.Frame f -> {
                                if (!decided) decided = resumed(ackGen);
                                if (group != null) {
                                    group.add(f);
                                    if (isWord(f.argv(), "EXEC")) {
                                        applyGroup(group);
                                        group = null;
                                    }
                                } else if (isWord(f.argv(), "MULTI")) {
                                    group = new ArrayList<>();
                                    group.add(f);
                                } else {
                                    apply(f);
                                }
                                applied = true;
                            }
                            case Event.Error er -> throw new IOException("the upstream refused: " + er.message());
                        }
                    }
                    if (applied) engine.wakeFeedReaders();
                }
                if (now - lastIoMillis > SILENCE_MILLIS) throw new IOException("the upstream sent nothing for " + SILENCE_MILLIS + " ms");
                if (accepted && !syncing) {
                    long next = j.nextOffset();
                    // ack what is applied: at once when nothing more is waiting to be read (the
                    // stream is caught up: WAIT gets its answer), at most every ACK_EVERY_MILLIS
                    // while frames keep coming, and at least once a second
                    boolean due = next != lastAckSent && (now - lastAckAt >= ACK_EVERY_MILLIS || in.available() == 0);
                    if (due || now - lastAckAt >= 1000) {
                        out.write(Handshake.ack(next));
                        out.flush();
                        lastAckSent = next;
                        lastAckAt = now;
                    }
                }
            }
        } finally {
            if (snap != null) snap.close();
            if (snapFile != null) Files.deleteIfExists(snapFile);
        }
        return accepted;
    }

    /**
     * The upstream chose the resume path (no snapshot after its {@code +ACK}): when it
     * answered with another generation, ours is a prefix of its history (a promotion
     * continued it), so this journal continues under that generation too.
     */
    private boolean resumed(long ackGen) {
        Journal j = engine.journal();
        if (ackGen != 0 && j.generation() != ackGen) {
            log.info("upstream continues generation {} as {}", Long.toHexString(j.generation()), Long.toHexString(ackGen));
            j.continueAs(ackGen);
        }
        return true;
    }

    private void apply(Event.Frame f) throws IOException {
        String err = engine.applyFrame(applier, f.offset(), f.raw(), f.argv());
        if (err != null) {
            resync = true;
            throw new IOException("frame " + f.offset() + " failed to apply (" + err + "); asking for a snapshot");
        }
    }

    /** A MULTI ... EXEC group: applied under every stripe lock, so no reader sees part of it. */
    private void applyGroup(List<Event.Frame> group) throws IOException {
        io.jkevy.store.Keyspace ks = engine.keyspace();
        ks.lockAll();
        try {
            for (Event.Frame f : group) apply(f);
        } finally {
            ks.unlockAll();
        }
    }

    private static boolean isWord(byte[][] argv, String word) {
        return argv.length == 1 && new String(argv[0], StandardCharsets.US_ASCII).equalsIgnoreCase(word);
    }

    private static byte[] resp(String... args) {
        StringBuilder sb = new StringBuilder().append('*').append(args.length).append("\r\n");
        for (String a : args) sb.append('$').append(a.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(a).append("\r\n");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String readLine(InputStream in, Socket s) throws IOException {
        s.setSoTimeout(5000);
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') break;
            if (c != '\r') sb.append((char) c);
            if (sb.length() > 512) throw new IOException("reply line too long");
        }
        s.setSoTimeout(250);
        return sb.toString();
    }

}
