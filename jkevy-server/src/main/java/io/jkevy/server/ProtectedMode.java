package io.jkevy.server;

import io.jkevy.engine.Engine;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * Protected mode (Redis's {@code protected-mode yes}, the default): while the default user
 * has no password, a client that does not connect from the loopback interface gets
 * Redis's -DENIED explanation and is disconnected before it can run anything. Checked when
 * the connection is accepted, as Redis does.
 */
final class ProtectedMode extends ChannelInboundHandlerAdapter {
    static final byte[] DENIED = ("-DENIED Redis is running in protected mode because protected mode is enabled and no "
            + "password is set for the default user. In this mode connections are only accepted from the loopback "
            + "interface. If you want to connect from external computers to Redis you may adopt one of the following "
            + "solutions: 1) Just disable protected mode sending the command 'CONFIG SET protected-mode no' from the "
            + "loopback interface by connecting to Redis from the same host the server is running, however MAKE SURE "
            + "Redis is not publicly accessible from internet if you do so. Use CONFIG REWRITE to make this change "
            + "permanent. 2) Alternatively you can just disable the protected mode by editing the Redis configuration "
            + "file, and setting the protected mode option to 'no', and then restarting the server. 3) If you started "
            + "the server manually just for testing, restart it with the '--protected-mode no' option. 4) Setup a an "
            + "authentication password for the default user. NOTE: You only need to do one of the above things in order "
            + "for the server to start accepting connections from the outside.\r\n").getBytes(StandardCharsets.US_ASCII);

    private final Engine engine;
    private boolean refused;

    ProtectedMode(Engine engine) { this.engine = engine; }

    /** True when a client from {@code remote} must be turned away now. */
    static boolean refuse(Engine engine, SocketAddress remote) {
        if (!"yes".equals(engine.config().get("protected-mode"))) return false;
        if (!engine.acl().defaultNopass()) return false;
        if (!(remote instanceof InetSocketAddress a)) return false;            // unix sockets count as local
        return a.getAddress() == null || !a.getAddress().isLoopbackAddress();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (refuse(engine, ctx.channel().remoteAddress())) {
            refused = true;
            ctx.writeAndFlush(Unpooled.wrappedBuffer(DENIED)).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ctx.pipeline().remove(this);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (refused) {
            ReferenceCountUtil.release(msg);
            return;
        }
        ctx.fireChannelRead(msg);
    }
}
