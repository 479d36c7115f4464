package io.jkevy.engine.command.hash;

import io.jkevy.engine.rdb.DumpPayload;
import io.jkevy.engine.rdb.RdbFormatException;
import io.jkevy.engine.rdb.RdbInput;
import io.jkevy.engine.rdb.RdbOutput;
import io.jkevy.store.Encodings;
import io.jkevy.store.ValueType;
import io.jkevy.store.type.hash.HashValue;

import java.util.ArrayList;
import java.util.List;

/**
 * Hashes in Redis 7.0's RDB encoding: a packed hash as RDB_TYPE_HASH_LISTPACK (16: one string
 * holding a {@link Listpack} of field, value, field, value...), a table as RDB_TYPE_HASH (4:
 * pair count, then field and value strings). Loading picks the representation from the
 * default thresholds (128 pairs / 64 bytes): the decoder has no access to the running
 * configuration.
 */
public final class HashRdb {
    private HashRdb() { }

    public static final int TYPE_HASH = 4;
    public static final int TYPE_HASH_LISTPACK = 16;

    private static final Encodings DEFAULTS = new Encodings();

    public static void register() {
        DumpPayload.registerEncoder(ValueType.HASH, new DumpPayload.Encoder() {
            @Override public int typeId(Object value) {
                return ((HashValue) value).isPacked() ? TYPE_HASH_LISTPACK : TYPE_HASH;
            }

            @Override public void encode(Object value, RdbOutput out, boolean compress) { HashRdb.encode((HashValue) value, out, compress); }
        });
        DumpPayload.registerDecoder(TYPE_HASH, HashRdb::decodeTable);
        DumpPayload.registerDecoder(TYPE_HASH_LISTPACK, HashRdb::decodeListpack);
    }

    static void encode(HashValue h, RdbOutput out, boolean compress) {
        if (h.isPacked()) {
            List<byte[]> els = new ArrayList<>(h.size() * 2);
            for (int t = h.first(); t >= 0; t = h.next(t)) {
                els.add(h.fieldAt(t));
                els.add(h.valueAt(t));
            }
            out.writeString(Listpack.encode(els), compress);
            return;
        }
        out.writeLength(h.size());
        for (int t = h.first(); t >= 0; t = h.next(t)) {
            out.writeString(h.fieldAt(t), compress);
            out.writeString(h.valueAt(t), compress);
        }
    }

    static Object decodeTable(RdbInput in) throws RdbFormatException {
        long n = in.readLength();
        if (n == 0) throw new RdbFormatException("empty hash");
        HashValue h = new HashValue();
        if (n > DEFAULTS.hashMaxListpackEntries) h.convert();
        for (long i = 0; i < n; i++) add(h, in.readString(), in.readString());
        return h;
    }

    static Object decodeListpack(RdbInput in) throws RdbFormatException {
        List<byte[]> els = Listpack.decode(in.readString());
        if (els.isEmpty()) throw new RdbFormatException("empty hash");
        if (els.size() % 2 != 0) throw new RdbFormatException("odd listpack hash");
        HashValue h = new HashValue();
        for (int i = 0; i < els.size(); i += 2) add(h, els.get(i), els.get(i + 1));
        return h;
    }

    private static void add(HashValue h, byte[] f, byte[] v) throws RdbFormatException {
        if (!h.set(f, v, DEFAULTS.hashMaxListpackEntries, DEFAULTS.hashMaxListpackValue)) {
            throw new RdbFormatException("duplicate hash field");
        }
    }
}
