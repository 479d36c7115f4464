package io.jkevy.server;

import io.jkevy.engine.Engine;
import io.jkevy.engine.Session;
import io.jkevy.resp.RespProtocolException;
import io.jkevy.resp.RespRequestParser;
import io.jkevy.resp.RespWriter;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.ByteToMessageDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * One client connection: bytes in, commands through the engine, replies out.
 *
 * <p>Replies of every command parsed from one read batch go into one buffer, written and
 * flushed once in {@link #channelReadComplete} — a pipeline of N commands costs one syscall,
 * not N. While the channel is unwritable (outbound bytes above the high watermark) reading
 * stops, so a client that does not read its replies cannot make the server buffer without
 * bound.
 */
final class ClientHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ClientHandler.class);
    private static final byte[] MAX_CLIENTS = "-ERR max number of clients reached\r\n".getBytes(StandardCharsets.US_ASCII);

    private final Engine engine;
    private final RespRequestParser parser;
    private final RespWriter writer = new RespWriter();
    private Session session;
    private ByteBuf cumulation;
    private ByteBuf out;
    private byte[][] pending;          // a command held back by CLIENT PAUSE
    private boolean closed;
    /** Reply batches waiting for their writes to be fsynced (appendfsync always), oldest first. */
    private final java.util.ArrayDeque<Held> held = new java.util.ArrayDeque<>();
    private long durableWaitRequested = -1;

    private record Held(ByteBuf replies, long offset) { }
    private BufferLimitGuard limits;
    /** Replies of one read batch are handed to Netty once they reach this size, so the output limit sees them. */
    private static final int FLUSH_AT = 64 * 1024;

    ClientHandler(Engine engine) {
        this.engine = engine;
        this.parser = new RespRequestParser(engine.limits());
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        limits = new BufferLimitGuard(engine, ctx.channel());
        session = engine.openSession(new NettyConnection(ctx.channel(), () -> resume(ctx), limits));
        limits.session(session);
        if (session == null) {
            closed = true;
            ctx.writeAndFlush(ctx.alloc().buffer(MAX_CLIENTS.length).writeBytes(MAX_CLIENTS))
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closed = true;
        if (session != null) {
            engine.flushStats(session);
            engine.closeSession(session);
        }
        release();
        ctx.fireChannelInactive();
    }

    private void release() {
        for (Held h : held) h.replies.release();
        held.clear();
        if (cumulation != null) { cumulation.release(); cumulation = null; }
        if (out != null) { out.release(); out = null; }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        if (closed) { in.release(); return; }
        engine.stats().netInputBytes.add(in.readableBytes());
        cumulation = cumulation == null ? in : ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(ctx.alloc(), cumulation, in);
        process(ctx);
        if (!closed && limits.checkQuery(cumulation)) {
            closed = true;
            release();
        }
    }

    /** Parses and runs every complete command in the cumulation buffer. */
    private void process(ChannelHandlerContext ctx) {
        try {
            while (!closed && !session.blocked()) {
                byte[][] argv = pending;
                if (argv == null) {
                    if (cumulation == null) break;
                    argv = parser.parse(cumulation);
                    if (argv == null) break;
                } else {
                    pending = null;
                }
                long wait = engine.pausedFor(session, argv);
                if (wait > 0) {
                    hold(ctx, argv, wait);
                    break;
                }
                if (out == null) out = ctx.alloc().ioBuffer(256);
                writer.target(out);
                writer.protocol(session.protocol());
                engine.execute(session, argv, writer);
                if (session.closing()) {
                    closed = true;
                    flush(ctx);
                    ctx.channel().close();
                    break;
                }
                if (out != null && out.readableBytes() >= FLUSH_AT) {
                    flush(ctx);
                    if (closed) break;
                }
                if (!ctx.channel().isWritable()) {
                    // back-pressure: stop reading until the socket drains (channelWritabilityChanged)
                    flush(ctx);
                    ctx.channel().config().setAutoRead(false);
                    if (cumulation != null && cumulation.isReadable()) break;
                }
            }
        } catch (RespProtocolException e) {
            closed = true;
            if (out == null) out = ctx.alloc().ioBuffer(128);
            writer.target(out);
            writer.error(e.getMessage());
            engine.stats().errorReplies.increment();
            log.debug("protocol error from {}: {}", session.connection().remoteAddress(), e.getMessage());
            ByteBuf o = out;
            out = null;
            engine.stats().netOutputBytes.add(o.readableBytes());
            ctx.writeAndFlush(o).addListener(ChannelFutureListener.CLOSE);
        } finally {
            if (cumulation != null && !cumulation.isReadable()) {
                cumulation.release();
                cumulation = null;
            } else if (cumulation != null && cumulation.readerIndex() > 64 * 1024) {
                cumulation.discardSomeReadBytes();
            }
        }
    }

    /** The session was unblocked (served, timed out, CLIENT UNBLOCK): run what waited behind it. */
    private void resume(ChannelHandlerContext ctx) {
        if (closed || session.blocked()) return;
        process(ctx);
        flush(ctx);
    }

    /** CLIENT PAUSE: keep the command, stop reading, retry when the pause may be over. */
    private void hold(ChannelHandlerContext ctx, byte[][] argv, long waitMillis) {
        pending = argv;
        flush(ctx);
        ctx.channel().config().setAutoRead(false);
        ctx.executor().schedule(() -> {
            if (closed) return;
            process(ctx);
            flush(ctx);
            if (pending == null && ctx.channel().isWritable()) ctx.channel().config().setAutoRead(true);
        }, Math.min(waitMillis, 100), TimeUnit.MILLISECONDS);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        flush(ctx);
        ctx.fireChannelReadComplete();
    }

    private void flush(ChannelHandlerContext ctx) {
        if (session != null) engine.flushStats(session);
        ByteBuf o = out;
        if (o == null) return;
        out = null;
        if (!o.isReadable()) { o.release(); return; }
        io.jkevy.engine.persist.Durability d = engine.durability();
        long w = session.lastWriteOffset();
        if (!held.isEmpty() || d != null && w > d.writer().durableOffset()
                && d.writer().policy() == io.jkevy.journal.disk.FsyncPolicy.ALWAYS) {
            // group commit: these replies acknowledge writes that are not on disk yet; they go out,
            // in order, once the writer thread's fsync covers them
            held.add(new Held(o, w));
            if (d != null && w > durableWaitRequested) {
                durableWaitRequested = w;
                d.whenDurable(w, () -> ctx.executor().execute(() -> releaseHeld(ctx)));
            } else if (d == null) {
                releaseHeld(ctx);
            }
            return;
        }
        engine.stats().netOutputBytes.add(o.readableBytes());
        ctx.writeAndFlush(o, ctx.voidPromise());
        if (!closed && limits != null && limits.checkOutput()) closed = true;
    }

    private void releaseHeld(ChannelHandlerContext ctx) {
        io.jkevy.engine.persist.Durability d = engine.durability();
        long durable = d == null ? Long.MAX_VALUE : d.writer().durableOffset();
        boolean wrote = false;
        while (!held.isEmpty() && (held.peek().offset <= durable || d == null
                || d.writer().policy() != io.jkevy.journal.disk.FsyncPolicy.ALWAYS)) {
            Held h = held.poll();
            if (closed) { h.replies.release(); continue; }
            engine.stats().netOutputBytes.add(h.replies.readableBytes());
            ctx.write(h.replies, ctx.voidPromise());
            wrote = true;
        }
        if (wrote) {
            ctx.flush();
            if (!closed && limits != null && limits.checkOutput()) closed = true;
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable() && pending == null && !closed) {
            process(ctx);
            flush(ctx);
            ctx.channel().config().setAutoRead(true);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!(cause instanceof java.io.IOException)) log.warn("connection error", cause);
        ctx.close();
    }
}
