package io.jkevy.server;

import io.jkevy.engine.Engine;
import io.jkevy.engine.Host;
import io.jkevy.engine.Session;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The running server: Netty listeners on every bind address, the periodic tick, and the
 * {@link Host} the engine calls for SHUTDOWN. Native epoll when the platform has it, NIO
 * otherwise.
 */
public final class JkevyServer implements Host {
    private static final Logger log = LoggerFactory.getLogger(JkevyServer.class);

    private final Engine engine;
    private final String bind;
    private final int requestedPort;
    private final int threads;
    private final String configSource;
    private EventLoopGroup boss;
    private EventLoopGroup workers;
    private final List<Channel> listeners = new ArrayList<>();
    private volatile int port;
    private volatile int tlsPort;
    private ScheduledFuture<?> cron;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean stopping;
    private Class<? extends ServerChannel> channelType;
    private volatile io.jkevy.server.repl.Replication replication;

    public JkevyServer(Engine engine, String bind, int port, int threads, String configSource) {
        this.engine = engine;
        this.bind = bind;
        this.requestedPort = port;
        this.threads = threads;
        this.configSource = configSource;
        engine.host(this);
    }

    public Engine engine() { return engine; }

    /** Binds every address of {@code bind} ("127.0.0.1 -::1": a leading '-' marks an optional one). */
    public void start() throws InterruptedException {
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = ioHandlerFactory();
        channelType = serverChannelType();
        boss = new MultiThreadIoEventLoopGroup(1, io);
        workers = new MultiThreadIoEventLoopGroup(threads, io);
        ServerBootstrap b = new ServerBootstrap()
                .group(boss, workers)
                .channel(channelType)
                .option(ChannelOption.SO_BACKLOG, 511)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(1 << 20, 4 << 20))
                .childHandler(pipeline(null));
        int tlsPort = Integer.parseInt(engine.config().get("tls-port") == null ? "0" : engine.config().get("tls-port"));
        int p = 0;
        if (requestedPort != 0 || tlsPort == 0) p = bindAll(b, requestedPort, "");
        if (tlsPort != 0) {
            io.netty.handler.ssl.SslContext ssl;
            try {
                ssl = Tls.serverContext(engine.config());
            } catch (IllegalStateException e) {
                stop();
                throw e;
            }
            this.tlsPort = bindAll(b.clone().childHandler(pipeline(ssl)), tlsPort, "TLS ");
            log.info("TLS enabled on port {} ({} engine)", this.tlsPort, Tls.provider().name().toLowerCase(java.util.Locale.ROOT));
        }
        port = p;
        scheduleCron();
        log.info("jkevy {} ready: port {}, pid {}, config {}, {} event loop thread(s), {} transport",
                Engine.VERSION, port, ProcessHandle.current().pid(), configSource, threads, epoll ? "epoll" : "nio");
    }

    /** Connection pipeline: TLS (when given), protected mode, then the client handler. */
    private ChannelInitializer<SocketChannel> pipeline(io.netty.handler.ssl.SslContext ssl) {
        return new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                if (ssl != null) ch.pipeline().addLast("tls", ssl.newHandler(ch.alloc()));
                ch.pipeline().addLast("protected-mode", new ProtectedMode(engine));
                ch.pipeline().addLast("client", new ClientHandler(engine));
            }
        };
    }

    /** Binds {@code port} on every address of {@code bind}; returns the port bound (port 0: the first one's). */
    private int bindAll(ServerBootstrap b, int port, String what) {
        try {
            return bindEach(b, bind, port, what, listeners);
        } catch (IllegalStateException e) {
            stop();
            throw e;
        }
    }

    /**
     * Binds {@code port} on every address of {@code bind} ("127.0.0.1 -::1": a leading '-'
     * marks an optional one), adding the channels to {@code into}; returns the port bound
     * (port 0: the first one's). IllegalStateException when a required address or every
     * address fails.
     */
    public static int bindEach(ServerBootstrap b, String bind, int port, String what, List<Channel> into) {
        int p = port;
        int before = into.size();
        for (String addr : bind.trim().split("\\s+")) {
            boolean optional = addr.startsWith("-");
            String host = optional ? addr.substring(1) : addr;
            try {
                Channel ch = b.bind(new InetSocketAddress(host, p)).sync().channel();
                into.add(ch);
                p = ((InetSocketAddress) ch.localAddress()).getPort();   // port 0: the rest follow the first
            } catch (Exception e) {
                if (optional) {
                    log.debug("optional bind {} skipped: {}", host, e.toString());
                    continue;
                }
                throw new IllegalStateException("cannot listen on " + what + host + ":" + p + ": " + e.getMessage(), e);
            }
        }
        if (into.size() == before) throw new IllegalStateException("no address to listen on (bind '" + bind + "')");
        return p;
    }

    /** Native epoll when the platform has it, NIO otherwise. */
    public static IoHandlerFactory ioHandlerFactory() {
        return Epoll.isAvailable() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    }

    public static Class<? extends ServerChannel> serverChannelType() {
        return Epoll.isAvailable() ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    /**
     * Starts replication as configured ({@code replication.role}): the replication listener on
     * this server's event loops and, for a replica, the link to its upstream. Call after the
     * journal is loaded. Returns null for a standalone node.
     */
    public io.jkevy.server.repl.Replication startReplication(java.nio.file.Path stateDir) {
        io.jkevy.server.repl.Replication r = io.jkevy.server.repl.Replication.install(engine, stateDir, port,
                io.jkevy.server.repl.Replication.onLoops(boss, workers, channelType, bind));
        replication = r;
        return r;
    }

    public io.jkevy.server.repl.Replication replication() { return replication; }

    /** The TLS port bound, or 0 when TLS is off. */
    public int tlsPort() { return tlsPort; }

    private void scheduleCron() {
        int hz = Math.max(1, engine.hz());
        cron = workers.next().schedule(() -> {
            try {
                engine.cron();
            } catch (RuntimeException e) {
                log.error("periodic task failed", e);
            }
            if (!stopping) scheduleCron();
        }, 1000 / hz, TimeUnit.MILLISECONDS);
    }

    @Override
    public int port() { return port; }

    @Override
    public String configFile() { return configSource.startsWith("file ") ? configSource.substring(5) : ""; }

    /** CONFIG REWRITE: the running configuration back into the TOML file (see {@link ConfigRewriter}). */
    @Override
    public void rewriteConfig() throws java.io.IOException {
        String file = configFile();
        if (file.isEmpty()) throw new java.io.IOException("no config file");
        io.jkevy.engine.config.Config defaults;
        try {
            defaults = Engine.create(java.util.Map.of(), io.jkevy.store.Clock.SYSTEM, Main::registerServerKeys).config();
        } catch (io.jkevy.engine.config.ConfigException e) {
            throw new java.io.IOException(e.getMessage());
        }
        ConfigRewriter.rewrite(java.nio.file.Path.of(file), engine.config(), defaults);
        log.info("CONFIG REWRITE executed with success.");
    }

    /** SHUTDOWN and SIGTERM: stop listening, close clients after their replies, stop threads. */
    @Override
    public void shutdown() {
        if (stopping) return;
        log.info("shutdown requested, closing listeners and clients");
        new Thread(this::stop, "jkevy-shutdown").start();
    }

    public synchronized void stop() {
        if (stopped.getCount() == 0) return;
        stopping = true;
        if (engine.scripting() != null) engine.scripting().abortRunning();   // a looping script must not hold the stop
        if (cron != null) cron.cancel(false);
        io.jkevy.server.repl.Replication repl = replication;
        if (repl != null) repl.close();
        for (Channel ch : listeners) ch.close().awaitUninterruptibly();
        for (Session s : engine.sessions()) s.connection().close();
        if (workers != null) workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        if (boss != null) boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        for (Runnable r : stopHooks) {
            try {
                r.run();
            } catch (RuntimeException e) {
                log.error("stop hook failed", e);
            }
        }
        log.info("jkevy is now ready to exit, bye bye");
        stopped.countDown();
    }

    public void awaitStop() throws InterruptedException { stopped.await(); }

    private final java.util.List<Runnable> stopHooks = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Runs {@code r} at the end of {@link #stop}, after every client is closed (the process closes its journal here). */
    public void onStop(Runnable r) { stopHooks.add(r); }

    public boolean isStopped() { return stopped.getCount() == 0; }
}
