package io.jkevy.server;

import io.jkevy.engine.Connection;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.buffer.Unpooled;

import java.net.InetSocketAddress;
import java.net.SocketAddress;

/** A {@link Connection} over a Netty channel. */
final class NettyConnection implements Connection {
    private final Channel channel;
    private final String remote;
    private final String local;

    private final Runnable resume;
    private final BufferLimitGuard limits;

    NettyConnection(Channel channel, Runnable resume, BufferLimitGuard limits) {
        this.channel = channel;
        this.resume = resume;
        this.limits = limits;
        this.remote = format(channel.remoteAddress());
        this.local = format(channel.localAddress());
    }

    static String format(SocketAddress a) {
        if (a instanceof InetSocketAddress i) {
            String host = i.getAddress() != null ? i.getAddress().getHostAddress() : i.getHostString();
            return host + ":" + i.getPort();
        }
        return String.valueOf(a);
    }

    @Override public void close() {
        // flush what is queued, then close; safe from any thread
        channel.eventLoop().execute(() -> channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE));
    }

    /** Bytes handed over by {@link #deliver}, written and flushed by one task on the channel's loop. */
    private final java.util.Queue<io.netty.buffer.ByteBuf> delivered = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final java.util.concurrent.atomic.AtomicBoolean drainScheduled = new java.util.concurrent.atomic.AtomicBoolean();
    private final Runnable drain = this::drainDelivered;

    /**
     * Queues {@code reply} and makes sure one drain task is pending on the channel's event
     * loop: a burst of deliveries (pub/sub fan-out, many keys invalidated) costs one flush,
     * not one task and one syscall per message. Order is call order; the drain task runs
     * after everything queued on the loop before it (a blocked client's resume comes after
     * its reply).
     */
    @Override public void deliver(io.netty.buffer.ByteBuf reply) {
        delivered.add(reply);
        if (drainScheduled.compareAndSet(false, true)) channel.eventLoop().execute(drain);
    }

    private void drainDelivered() {
        // clear the flag first: a delivery that sees it set is then drained by this pass
        drainScheduled.set(false);
        io.netty.buffer.ByteBuf first = delivered.poll();
        if (first == null) return;
        if (!channel.isActive()) {
            for (io.netty.buffer.ByteBuf b = first; b != null; b = delivered.poll()) b.release();
            return;
        }
        io.netty.buffer.ByteBuf next = delivered.poll();
        if (next == null) {
            channel.writeAndFlush(first, channel.voidPromise());
            limits.checkOutput();
            return;
        }
        // several: one buffer through the pipeline instead of one write per message
        io.netty.buffer.ByteBuf out = channel.alloc().ioBuffer(Math.max(4096, first.readableBytes() + next.readableBytes()));
        for (io.netty.buffer.ByteBuf b = first; b != null; b = next != null ? next : delivered.poll()) {
            if (b == next) next = null;
            out.writeBytes(b);
            b.release();
            if (out.readableBytes() >= 256 * 1024) {
                channel.write(out, channel.voidPromise());
                out = channel.alloc().ioBuffer(4096);
            }
        }
        channel.writeAndFlush(out, channel.voidPromise());
        limits.checkOutput();
    }

    @Override public void resume() { channel.eventLoop().execute(resume); }

    @Override public Runnable schedule(long delayMillis, Runnable task) {
        var f = channel.eventLoop().schedule(task, delayMillis, java.util.concurrent.TimeUnit.MILLISECONDS);
        return () -> f.cancel(false);
    }

    @Override public String remoteAddress() { return remote; }

    @Override public String localAddress() { return local; }

    @Override public long outputBufferBytes() { return limits.pendingOutput(); }
}
