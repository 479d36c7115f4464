package io.jkevy.embedded;

import io.jkevy.engine.Engine;
import io.jkevy.engine.Session;
import io.jkevy.resp.RespReplyParser;
import io.jkevy.resp.RespValue;
import io.jkevy.resp.RespWriter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * The commands of one {@link Store#atomically} unit: the same typed API, run inside the unit
 * (every stripe held by the calling thread). Valid only inside the lambda; blocking commands
 * do not block here (they answer as if timed out, as inside MULTI).
 */
public final class Transaction extends Commands {
    private final Engine engine;
    private final Session session;
    private final RespWriter writer = new RespWriter();
    private final ByteBuf buf = Unpooled.buffer(256);
    private final RespReplyParser parser = new RespReplyParser();
    private boolean closed;

    Transaction(Engine engine, Session session) {
        this.engine = engine;
        this.session = session;
    }

    @Override
    protected RespValue call(byte[][] argv) {
        if (closed) throw new IllegalStateException("the transaction is over");
        buf.clear();
        writer.target(buf);
        engine.executeNested(session, argv, writer);
        return reply(parser, buf);
    }

    void close() {
        closed = true;
        buf.release();
    }
}
