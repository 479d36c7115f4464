package io.jkevy.engine.command.stream;

import io.jkevy.engine.CommandContext;
import io.jkevy.resp.RespWriter;
import io.jkevy.store.type.stream.StreamEntry;
import io.jkevy.store.type.stream.StreamId;
import io.jkevy.store.type.stream.StreamValue;

import java.nio.charset.StandardCharsets;

/** Stream id parsing, lookups and entry replies shared by the stream commands. */
public final class StreamArgs {
    private StreamArgs() { }

    public static final String INVALID_ID = "ERR Invalid stream ID specified as stream command argument";

    public static byte[] ascii(String s) { return s.getBytes(StandardCharsets.US_ASCII); }

    /**
     * Parses {@code ms[-seq]}. Without a seq part the seq is {@code missingSeq}. Unless
     * {@code strict}, "-" and "+" mean the smallest and greatest ids. With {@code seqStar}
     * non-null (XADD), {@code ms-*} is accepted and reported by {@code seqStar[0] = true}.
     */
    public static StreamId parseId(byte[] b, long missingSeq, boolean strict, boolean[] seqStar) {
        if (b.length > 127) throw CommandContext.error(INVALID_ID);
        if (b.length == 1 && !strict) {
            if (b[0] == '-') return StreamId.MIN;
            if (b[0] == '+') return StreamId.MAX;
        }
        int dash = -1;
        for (int i = 0; i < b.length; i++) if (b[i] == '-') { dash = i; break; }
        boolean[] ok = new boolean[1];
        long ms = StreamId.parseUnsigned(b, 0, dash < 0 ? b.length : dash, ok);
        if (!ok[0]) throw CommandContext.error(INVALID_ID);
        if (dash < 0) return new StreamId(ms, missingSeq);
        if (seqStar != null && b.length == dash + 2 && b[dash + 1] == '*') {
            seqStar[0] = true;
            return new StreamId(ms, 0);
        }
        long seq = StreamId.parseUnsigned(b, dash + 1, b.length, ok);
        if (!ok[0]) throw CommandContext.error(INVALID_ID);
        return new StreamId(ms, seq);
    }

    /** Whether {@code b} parses as a strict id (no "-"/"+"), without throwing. */
    public static boolean isStrictId(byte[] b) {
        try {
            parseId(b, 0, true, null);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * Parses a range bound that may be exclusive ({@code (id}); the exclusive bound is moved
     * one id inward, failing with {@code exclusiveError} when that leaves the id space.
     */
    public static StreamId parseBound(byte[] b, long missingSeq, boolean isStart, String exclusiveError) {
        if (b.length > 1 && b[0] == '(') {
            StreamId id = parseId(java.util.Arrays.copyOfRange(b, 1, b.length), missingSeq, true, null);
            StreamId moved = isStart ? id.next() : id.prev();
            if (moved == null) throw CommandContext.error(exclusiveError);
            return moved;
        }
        return parseId(b, missingSeq, false, null);
    }

    /** The stream at {@code key}, null when absent; WRONGTYPE for another type. */
    public static StreamValue lookup(CommandContext c, byte[] key) {
        Object v = c.db().get(key);
        if (v == null) return null;
        if (!(v instanceof StreamValue s)) throw c.wrongType();
        return s;
    }

    /** One entry as Redis replies it: [id, [field, value, ...]]. */
    public static void entry(RespWriter out, StreamId id, byte[] packed) {
        out.arrayHeader(2);
        out.bulk(id.toBytes());
        if (packed == null) {
            out.nullArray();
            return;
        }
        byte[][] f = StreamEntry.unpack(packed);
        out.arrayHeader(f.length);
        for (byte[] x : f) out.bulk(x);
    }
}
