package io.jkevy.engine.command.server;

import io.jkevy.engine.CommandContext;
import io.jkevy.store.Db;
import io.jkevy.store.KeyTable;
import io.jkevy.store.Keyspace;
import io.jkevy.store.TypedValue;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * DEBUG DIGEST: a 160-bit fingerprint of the whole dataset with which two nodes prove they
 * hold the same data.
 *
 * <p>Each live key contributes SHA-1(db index, key, value, absolute expiry); the dataset
 * digest is the XOR of the contributions, so it does not depend on iteration order, stripe
 * count or insertion history, and an empty dataset digests to twenty zero bytes. Keys are
 * unique within a database and the database index is hashed in, so no two contributions can
 * cancel out. Expired keys not yet collected are skipped, so a node that has collected them
 * and one that has not agree.
 *
 * <p>Field layout fed to SHA-1 (all integers big-endian): {@code int db, int keyLen, key,
 * value (see below), long expireAtMillis (0 = none)}. A string value is {@code 's', int len,
 * bytes}. Other types are digested by the {@link ValueDigester} registered for their class;
 * a type with none is refused with an error rather than digested ambiguously.
 */
public final class Digest {
    private Digest() { }

    /** Feeds a value's content to {@code md}; unordered collections must combine order-independently. */
    @FunctionalInterface
    public interface ValueDigester {
        void digest(Object value, MessageDigest md);
    }

    private static final Map<Class<?>, ValueDigester> DIGESTERS = new ConcurrentHashMap<>();

    /** Registers the digester for a {@link TypedValue} class (done by the data type's command group). */
    public static void register(Class<?> type, ValueDigester d) { DIGESTERS.put(type, d); }

    public static final int BYTES = 20;

    static MessageDigest sha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required by the Java platform", e);
        }
    }

    /** The digest of every live key of every database; the caller holds every stripe lock. */
    public static byte[] dataset(Keyspace ks, long now) {
        byte[] acc = new byte[BYTES];
        MessageDigest md = sha1();
        for (int d = 0; d < ks.databases(); d++) {
            Db db = ks.db(d);
            if (db.size() == 0) continue;
            final int dbIndex = d;
            for (int s = 0; s < ks.stripes(); s++) {
                KeyTable t = db.stripeTable(s);
                t.forEach((tab, slot) -> {
                    long at = tab.expireAt(slot);
                    if (at != 0 && at <= now) return;
                    xorInto(acc, key(md, dbIndex, tab.keyAt(slot), tab.valueAt(slot), at));
                });
            }
        }
        return acc;
    }

    /** One key's contribution to the dataset digest. */
    static byte[] key(MessageDigest md, int db, byte[] key, Object value, long expireAt) {
        md.reset();
        putInt(md, db);
        putInt(md, key.length);
        md.update(key);
        value(md, value);
        putLong(md, expireAt);
        return md.digest();
    }

    /** The digest of a value alone (DEBUG DIGEST-VALUE): type and content, not key or TTL. */
    public static byte[] value(Object value) {
        MessageDigest md = sha1();
        value(md, value);
        return md.digest();
    }

    private static void value(MessageDigest md, Object value) {
        if (value instanceof byte[] b) {
            md.update((byte) 's');
            putInt(md, b.length);
            md.update(b);
            return;
        }
        ValueDigester d = DIGESTERS.get(value.getClass());
        if (d == null) {
            String type = value instanceof TypedValue tv ? tv.type().typeName() : value.getClass().getSimpleName();
            throw CommandContext.error("ERR DEBUG DIGEST cannot digest a '" + type + "' value yet (no digester registered for its type)");
        }
        md.update((byte) ((TypedValue) value).type().ordinal());
        d.digest(value, md);
    }

    public static void xorInto(byte[] acc, byte[] d) {
        for (int i = 0; i < BYTES; i++) acc[i] ^= d[i];
    }

    public static void putInt(MessageDigest md, int v) {
        md.update((byte) (v >>> 24));
        md.update((byte) (v >>> 16));
        md.update((byte) (v >>> 8));
        md.update((byte) v);
    }

    public static void putLong(MessageDigest md, long v) {
        putInt(md, (int) (v >>> 32));
        putInt(md, (int) v);
    }

    public static String hex(byte[] d) {
        StringBuilder sb = new StringBuilder(d.length * 2);
        for (byte b : d) sb.append(Character.forDigit((b >>> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
        return sb.toString();
    }
}
