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

    @Override public void deliver(io.netty.buffer.ByteBuf reply) {
        // writes from another thread are queued on the channel's event loop in call order
        if (!channel.isActive()) {
            reply.release();
            return;
        }
        channel.writeAndFlush(reply, channel.voidPromise());
        limits.checkOutput(0);
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
