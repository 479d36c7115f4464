package io.jkevy.server.repl;

import io.jkevy.engine.Engine;
import io.jkevy.journal.JournalSink;
import io.jkevy.replicate.slot.SlotTable;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The primary's side of replication (spec/replication.md): the replication listener, one
 * {@link SourceLink} per connected replica, the slot table of acknowledged offsets, and the
 * 1 Hz heartbeat. Frames are never copied for replicas: each link reads the journal's backlog
 * from its own position when the journal tells this source something was appended.
 *
 * <p>Every node binds it (a promoted replica serves downstream replicas at once); while the
 * node is itself a replica, handshakes are refused (no chain replication).
 */
public final class ReplicationSource implements JournalSink {
    private static final Logger log = LoggerFactory.getLogger(ReplicationSource.class);

    final Engine engine;
    final Replication replication;
    final SlotTable slots;
    final Path shipDir;
    final List<SourceLink> links = new CopyOnWriteArrayList<>();
    private final List<Channel> listeners = new CopyOnWriteArrayList<>();
    private ScheduledFuture<?> heartbeat;
    private volatile int port;

    ReplicationSource(Engine engine, Replication replication, long reconnectWindowMillis, Path shipDir) {
        this.engine = engine;
        this.replication = replication;
        this.slots = new SlotTable(reconnectWindowMillis);
        this.shipDir = shipDir;
    }

    /** Binds the listener on every address of {@code bind}; returns the port. */
    int start(EventLoopGroup boss, EventLoopGroup workers, Class<? extends ServerChannel> type, String bind, int port, SslContext ssl) {
        ServerBootstrap b = new ServerBootstrap()
                .group(boss, workers)
                .channel(type)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(1 << 20, 8 << 20))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (ssl != null) ch.pipeline().addLast("tls", ssl.newHandler(ch.alloc()));
                        ch.pipeline().addLast("link", new SourceLink(ReplicationSource.this, ch));
                    }
                });
        int p;
        try {
            p = io.jkevy.server.JkevyServer.bindEach(b, bind, port, "replication ", listeners);
        } catch (IllegalStateException e) {
            stop();
            throw e;
        }
        this.port = p;
        engine.journal().addSink(this);
        heartbeat = workers.next().scheduleAtFixedRate(this::tick, 1000, 1000, TimeUnit.MILLISECONDS);
        log.info("replication listener on port {}{}", p, ssl != null ? " (TLS)" : "");
        return p;
    }

    int port() { return port; }

    /** 1 Hz: a heartbeat to every replica, and slots of replicas gone too long expire. */
    private void tick() {
        try {
            long now = System.currentTimeMillis();
            for (SourceLink l : links) l.heartbeat();
            boolean none;
            synchronized (slots) {
                for (String id : slots.expire(now)) log.info("replica {} forgotten: not back within the reconnect window", id);
                none = slots.size() == 0;
            }
            if (none && !replication.isReplica()) replication.backlogFor(false);
        } catch (RuntimeException e) {
            log.error("replication heartbeat failed", e);
        }
    }

    @Override
    public void appended(long offset, byte[] frame) {
        for (SourceLink l : links) l.wake();
    }

    @Override
    public void generationStarted(long generation, long nextOffset) {
        for (SourceLink l : links) l.wake();
    }

    int ackedAtLeast(long nextOffset) {
        synchronized (slots) {
            return slots.ackedAtLeast(nextOffset);
        }
    }

    int goodReplicas(long now, long maxLagMillis) {
        synchronized (slots) {
            return slots.goodReplicas(now, maxLagMillis);
        }
    }

    /** Closes every replica link (this node became a replica, or stops). */
    void dropLinks() {
        for (SourceLink l : links) l.close();
    }

    void stop() {
        if (heartbeat != null) heartbeat.cancel(false);
        engine.journal().removeSink(this);
        for (Channel ch : listeners) ch.close().awaitUninterruptibly();
        dropLinks();
    }
}
