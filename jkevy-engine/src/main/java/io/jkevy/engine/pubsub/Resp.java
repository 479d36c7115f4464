package io.jkevy.engine.pubsub;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Pre-encodes the out-of-band messages this package sends (message, pmessage, smessage,
 * invalidate, subscribe confirmations are written by the command itself). RESP2 sends them as
 * arrays ({@code *}), RESP3 as push frames ({@code >}).
 */
final class Resp {
    private Resp() { }

    static final byte[] MESSAGE = ascii("message");
    static final byte[] PMESSAGE = ascii("pmessage");
    static final byte[] SMESSAGE = ascii("smessage");
    static final byte[] INVALIDATE = ascii("invalidate");
    static final byte[] INVALIDATE_CHANNEL = ascii("__redis__:invalidate");
    static final byte[] REDIR_BROKEN = ascii("tracking-redir-broken");

    static byte[] ascii(String s) { return s.getBytes(StandardCharsets.US_ASCII); }

    /** A message of bulk strings: {@code >n} in RESP3, {@code *n} in RESP2. */
    static byte[] frame(int protocol, byte[]... items) {
        Out o = new Out(64);
        o.header(protocol == 3 ? '>' : '*', items.length);
        for (byte[] it : items) o.bulk(it);
        return o.toByteArray();
    }

    /**
     * An invalidation: RESP3 push {@code ["invalidate", keys]} (null keys = everything), or
     * for a RESP2 redirect target the pub/sub message on {@code __redis__:invalidate}.
     */
    static byte[] invalidate(int protocol, byte[][] keys) {
        Out o = new Out(64);
        if (protocol == 3) {
            o.header('>', 2);
            o.bulk(INVALIDATE);
        } else {
            o.header('*', 3);
            o.bulk(MESSAGE);
            o.bulk(INVALIDATE_CHANNEL);
        }
        if (keys == null) {
            o.writeBytes(protocol == 3 ? ascii("_\r\n") : ascii("$-1\r\n"));
        } else {
            o.header('*', keys.length);
            for (byte[] k : keys) o.bulk(k);
        }
        return o.toByteArray();
    }

    /** RESP3 push {@code ["tracking-redir-broken", id]}. */
    static byte[] redirBroken(long id) {
        Out o = new Out(48);
        o.header('>', 2);
        o.bulk(REDIR_BROKEN);
        o.writeBytes(ascii(":" + id + "\r\n"));
        return o.toByteArray();
    }

    private static final class Out extends ByteArrayOutputStream {
        Out(int n) { super(n); }

        void header(char c, long n) {
            write(c);
            writeBytes(ascii(Long.toString(n)));
            write('\r');
            write('\n');
        }

        void bulk(byte[] b) {
            header('$', b.length);
            writeBytes(b);
            write('\r');
            write('\n');
        }
    }
}
