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
    private ScheduledFuture<?> cron;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean stopping;

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
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends ServerChannel> channelType = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
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
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast("client", new ClientHandler(engine));
                    }
                });
        int p = requestedPort;
        for (String addr : bind.trim().split("\\s+")) {
            boolean optional = addr.startsWith("-");
            String host = optional ? addr.substring(1) : addr;
            try {
                Channel ch = b.bind(new InetSocketAddress(host, p)).sync().channel();
                listeners.add(ch);
                p = ((InetSocketAddress) ch.localAddress()).getPort();   // port 0: the rest follow the first
            } catch (Exception e) {
                if (optional) {
                    log.debug("optional bind {} skipped: {}", host, e.toString());
                    continue;
                }
                stop();
                throw new IllegalStateException("cannot listen on " + host + ":" + p + ": " + e.getMessage(), e);
            }
        }
        if (listeners.isEmpty()) {
            stop();
            throw new IllegalStateException("no address to listen on (bind '" + bind + "')");
        }
        port = p;
        scheduleCron();
        log.info("jkevy {} ready: port {}, pid {}, config {}, {} event loop thread(s), {} transport",
                Engine.VERSION, port, ProcessHandle.current().pid(), configSource, threads, epoll ? "epoll" : "nio");
    }

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
        if (cron != null) cron.cancel(false);
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
