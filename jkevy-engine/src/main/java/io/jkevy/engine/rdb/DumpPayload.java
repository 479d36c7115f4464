package io.jkevy.engine.rdb;

import io.jkevy.store.ValueType;

import java.util.EnumMap;
import java.util.Map;

/**
 * DUMP / RESTORE payloads in Redis's own serialization, so values move between jkevy and
 * redis-server in both directions.
 *
 * <h2>Layout</h2>
 * <pre>
 *   +------+---------------------+--------------+----------------------+
 *   | type | value (RDB-encoded) | RDB version  | CRC-64               |
 *   | 1 B  | variable            | 2 B, LE      | 8 B, LE              |
 *   +------+---------------------+--------------+----------------------+
 * </pre>
 * <ul>
 *   <li><b>type</b>: the RDB object type id (0 string, 1 list, 2 set, 3 zset, 4 hash,
 *       5 zset2, 6/7 module, 9..13 legacy zipmap/ziplist/intset encodings, 14 quicklist,
 *       15 stream, 16 hash listpack, 17 zset listpack, 18 quicklist2, 19 stream v2, 20 set
 *       listpack, 21 stream v3). Each id has its own {@link Decoder}; an id without one is
 *       "Bad data format".</li>
 *   <li><b>value</b> of a string (type 0), one of:
 *       <ul>
 *         <li>length + raw bytes. Length: {@code 00xxxxxx} (6 bits), {@code 01xxxxxx xxxxxxxx}
 *             (14 bits, big-endian), {@code 0x80} + 4 bytes BE, {@code 0x81} + 8 bytes BE;</li>
 *         <li>{@code 0xC0} + int8, {@code 0xC1} + int16 LE, {@code 0xC2} + int32 LE: a
 *             canonical decimal integer (written for strings of at most 11 characters whose
 *             value fits 32 bits);</li>
 *         <li>{@code 0xC3} + length(compressed) + length(original) + LZF data ({@link Lzf}):
 *             written for strings longer than 20 bytes when compression saves at least 4.</li>
 *       </ul></li>
 *   <li><b>RDB version</b>: {@value #RDB_VERSION} when written (Redis 7.0); payloads up to
 *       {@value #MAX_RDB_VERSION} (Redis 7.2) are accepted.</li>
 *   <li><b>CRC-64</b> ({@link Crc64}) of everything before it (type, value, version).</li>
 * </ul>
 * A payload shorter than 10 bytes, with a newer version, or with a wrong checksum is rejected
 * before its body is read. As in redis-server the body is decoded from the start of the
 * payload without requiring it to end exactly at the footer.
 */
public final class DumpPayload {
    private DumpPayload() { }

    /** The RDB version written into payloads: Redis 7.0's. */
    public static final int RDB_VERSION = 10;
    /** The newest RDB version accepted (Redis 7.2). */
    public static final int MAX_RDB_VERSION = 11;

    public static final int TYPE_STRING = 0;

    private static final int FOOTER = 10;

    /** Decodes the value of one RDB object type; {@code in} is positioned after the type byte. */
    @FunctionalInterface
    public interface Decoder {
        Object decode(RdbInput in) throws RdbFormatException;
    }

    /** Encodes values of one {@link ValueType}: picks the RDB type id and writes the value. */
    public interface Encoder {
        int typeId(Object value);

        void encode(Object value, RdbOutput out, boolean compress);
    }

    private static volatile Decoder[] decoders = new Decoder[256];
    private static final Map<ValueType, Encoder> encoders = new EnumMap<>(ValueType.class);

    static {
        registerDecoder(TYPE_STRING, in -> in.readString());
        registerEncoder(ValueType.STRING, new Encoder() {
            @Override public int typeId(Object value) { return TYPE_STRING; }

            @Override public void encode(Object value, RdbOutput out, boolean compress) {
                out.writeString((byte[]) value, compress);
            }
        });
    }

    /** Adds (or replaces) the decoder of RDB type {@code typeId}. */
    public static synchronized void registerDecoder(int typeId, Decoder d) {
        Decoder[] copy = decoders.clone();
        copy[typeId] = d;
        decoders = copy;
    }

    /** Adds (or replaces) the encoder of values of type {@code t}. */
    public static void registerEncoder(ValueType t, Encoder e) {
        synchronized (encoders) { encoders.put(t, e); }
    }

    /** True when values of type {@code t} can be dumped. */
    public static boolean canDump(ValueType t) {
        synchronized (encoders) { return encoders.containsKey(t); }
    }

    /**
     * The payload for {@code value} (a {@code byte[]} string or a TypedValue).
     *
     * @param compress LZF-compress long strings (Redis's {@code rdbcompression}, on by default)
     * @throws UnsupportedOperationException when no encoder is registered for the value's type
     */
    public static byte[] dump(Object value, boolean compress) {
        Encoder e;
        ValueType t = ValueType.of(value);
        synchronized (encoders) { e = encoders.get(t); }
        if (e == null) throw new UnsupportedOperationException("no RDB encoder for type " + t.typeName());
        int hint = value instanceof byte[] b ? b.length + 16 : 64;
        RdbOutput out = new RdbOutput(hint);
        out.writeByte(e.typeId(value));
        e.encode(value, out, compress);
        out.writeLongLE(RDB_VERSION, 2);
        long crc = Crc64.update(0, out.buffer(), 0, out.size());
        out.writeLongLE(crc, 8);
        return out.toByteArray();
    }

    /** Writes a value's RDB type byte and body (no footer): the value part of a snapshot record. */
    public static void writeValue(Object value, RdbOutput out) {
        Encoder e;
        ValueType t = ValueType.of(value);
        synchronized (encoders) { e = encoders.get(t); }
        if (e == null) throw new UnsupportedOperationException("no RDB encoder for type " + t.typeName());
        out.writeByte(e.typeId(value));
        e.encode(value, out, true);
    }

    /** Reads what {@link #writeValue} wrote. */
    public static Object readValue(RdbInput in) throws RdbFormatException {
        return readBody(in.readByte(), in);
    }

    /** The RDB type id {@link #writeValue} would write first. */
    public static int typeIdOf(Object value) {
        Encoder e;
        ValueType t = ValueType.of(value);
        synchronized (encoders) { e = encoders.get(t); }
        if (e == null) throw new UnsupportedOperationException("no RDB encoder for type " + t.typeName());
        return e.typeId(value);
    }

    /** The value body alone (after its type id), LZF-compressing long strings. */
    public static void writeBody(Object value, RdbOutput out) {
        Encoder e;
        ValueType t = ValueType.of(value);
        synchronized (encoders) { e = encoders.get(t); }
        e.encode(value, out, true);
    }

    /** Reads a value body of RDB type {@code type}. */
    public static Object readBody(int type, RdbInput in) throws RdbFormatException {
        Decoder d = decoders[type];
        if (d == null) throw new RdbFormatException("unsupported RDB object type " + type);
        Object v = d.decode(in);
        if (v == null) throw new RdbFormatException("empty value");
        return v;
    }

    /** Checks length, RDB version and checksum (the "version or checksum are wrong" check). */
    public static boolean verify(byte[] p) {
        int len = p.length;
        if (len < FOOTER) return false;
        int version = (p[len - 10] & 0xff) | (p[len - 9] & 0xff) << 8;
        if (version > MAX_RDB_VERSION) return false;
        long crc = 0;
        for (int i = 0; i < 8; i++) crc |= (long) (p[len - 8 + i] & 0xff) << (8 * i);
        return Crc64.update(0, p, 0, len - 8) == crc;
    }

    /**
     * Decodes the value of a payload that passed {@link #verify}.
     *
     * @throws RdbFormatException when the type is unknown or unsupported or the body malformed
     */
    public static Object restore(byte[] p) throws RdbFormatException {
        RdbInput in = new RdbInput(p, 0, p.length);
        int type = in.readByte();
        Decoder d = decoders[type];
        if (d == null) throw new RdbFormatException("unsupported RDB object type " + type);
        Object v = d.decode(in);
        if (v == null) throw new RdbFormatException("empty value");
        return v;
    }
}
