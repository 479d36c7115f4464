package io.jkevy.engine.command.set;

import io.jkevy.engine.Args;
import io.jkevy.engine.command.hash.Listpack;
import io.jkevy.engine.rdb.DumpPayload;
import io.jkevy.engine.rdb.RdbFormatException;
import io.jkevy.engine.rdb.RdbInput;
import io.jkevy.engine.rdb.RdbOutput;
import io.jkevy.store.Encodings;
import io.jkevy.store.ValueType;
import io.jkevy.store.type.set.SetValue;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Sets in Redis's RDB serialization, for DUMP/RESTORE.
 *
 * <p>Written as Redis 7.0 can read them: an intset-encoded set as RDB_TYPE_SET_INTSET (11: one
 * RDB string holding an intset blob), any other set as RDB_TYPE_SET (2: member count, then
 * the members as RDB strings, in the set's iteration order). Listpack sets are a Redis 7.2
 * encoding, so they go out as type 2 too.
 *
 * <p>Intset blob: {@code u32 LE width (2, 4 or 8 bytes per member), u32 LE member count,
 * members as signed LE integers of that width, strictly ascending}. The width written is the
 * smallest that holds every member; Redis never narrows an intset, so after SREM of its
 * widest member redis-server may write a wider blob for the same members.
 *
 * <p>Read: types 2, 11 and 20 (RDB_TYPE_SET_LISTPACK, Redis 7.2: one RDB string holding a
 * listpack of the members). Decoders see no configuration, so the restored encoding follows
 * the default thresholds (512 intset entries, 128 listpack entries of at most 64 bytes):
 * an intset payload over 512 members becomes a hashtable; type 2 takes the encoding SADD
 * of the same members into a new key would give; a type-20 payload stays a listpack up to
 * 128 members (members over 64 bytes turn it into a hashtable). Duplicate members and empty
 * sets are rejected, as redis-server rejects them.
 */
public final class SetRdb {
    private SetRdb() { }

    public static final int TYPE_SET = 2;
    public static final int TYPE_SET_INTSET = 11;
    public static final int TYPE_SET_LISTPACK = 20;

    private static final Encodings DEFAULTS = new Encodings();
    /** Any non-integer: makes {@link SetValue#create} start a listpack rather than an intset. */
    private static final byte[] NOT_AN_INTEGER = {'x'};

    public static void register() {
        DumpPayload.registerEncoder(ValueType.SET, new DumpPayload.Encoder() {
            @Override public int typeId(Object value) {
                return ((SetValue) value).enc() == SetValue.INTSET ? TYPE_SET_INTSET : TYPE_SET;
            }

            @Override public void encode(Object value, RdbOutput out, boolean compress) {
                write((SetValue) value, out, compress);
            }
        });
        DumpPayload.registerDecoder(TYPE_SET, SetRdb::readPlain);
        DumpPayload.registerDecoder(TYPE_SET_INTSET, SetRdb::readIntset);
        DumpPayload.registerDecoder(TYPE_SET_LISTPACK, SetRdb::readListpack);
    }

    static void write(SetValue s, RdbOutput out, boolean compress) {
        if (s.enc() == SetValue.INTSET) {
            out.writeString(intset(s), compress);
            return;
        }
        out.writeLength(s.size());
        s.forEach(m -> out.writeString(m, compress));
    }

    /** The intset blob of an intset-encoded set (members come ascending from forEach). */
    static byte[] intset(SetValue s) {
        long[] v = new long[s.size()];
        int[] n = {0};
        s.forEach(m -> v[n[0]++] = Args.parseLong(m));
        int width = 2;
        for (long x : v) {
            if (x < Integer.MIN_VALUE || x > Integer.MAX_VALUE) { width = 8; break; }
            if (x < Short.MIN_VALUE || x > Short.MAX_VALUE) width = 4;
        }
        byte[] blob = new byte[8 + width * v.length];
        putLE(blob, 0, width, 4);
        putLE(blob, 4, v.length, 4);
        for (int i = 0; i < v.length; i++) putLE(blob, 8 + i * width, v[i], width);
        return blob;
    }

    private static void putLE(byte[] b, int off, long v, int bytes) {
        for (int i = 0; i < bytes; i++) b[off + i] = (byte) (v >>> (8 * i));
    }

    static SetValue readPlain(RdbInput in) throws RdbFormatException {
        long n = in.readLength();
        if (n == 0) throw new RdbFormatException("empty set");
        int hint = (int) Math.min(n, Integer.MAX_VALUE);
        SetValue s = null;
        for (long i = 0; i < n; i++) {
            byte[] m = in.readString();
            if (s == null) s = SetValue.create(m, hint, DEFAULTS);
            if (!s.add(m, DEFAULTS)) throw new RdbFormatException("duplicate set member");
        }
        return s;
    }

    static SetValue readIntset(RdbInput in) throws RdbFormatException {
        byte[] blob = in.readString();
        if (blob.length < 8) throw new RdbFormatException("intset too short");
        long width = getLE(blob, 0, 4, false);
        long count = getLE(blob, 4, 4, false);
        if (width != 2 && width != 4 && width != 8) throw new RdbFormatException("bad intset encoding");
        if (8 + width * count != blob.length) throw new RdbFormatException("intset size mismatch");
        if (count == 0) throw new RdbFormatException("empty set");
        SetValue s = null;
        long prev = 0;
        for (int i = 0; i < count; i++) {
            long v = getLE(blob, 8 + i * (int) width, (int) width, true);
            if (i > 0 && v <= prev) throw new RdbFormatException("intset not strictly ascending");
            prev = v;
            byte[] m = Long.toString(v).getBytes(StandardCharsets.US_ASCII);
            if (s == null) s = SetValue.create(m, (int) count, DEFAULTS);
            s.add(m, DEFAULTS);
        }
        return s;
    }

    static SetValue readListpack(RdbInput in) throws RdbFormatException {
        List<byte[]> members = Listpack.decode(in.readString());
        if (members.isEmpty()) throw new RdbFormatException("empty set");
        SetValue s = SetValue.create(NOT_AN_INTEGER, members.size(), DEFAULTS);
        for (byte[] m : members) {
            if (!s.add(m, DEFAULTS)) throw new RdbFormatException("duplicate set member");
        }
        return s;
    }

    private static long getLE(byte[] b, int off, int bytes, boolean signed) {
        long v = 0;
        for (int i = 0; i < bytes; i++) v |= (b[off + i] & 0xffL) << (8 * i);
        if (signed && bytes < 8) v = (v << (64 - 8 * bytes)) >> (64 - 8 * bytes);
        return v;
    }
}
