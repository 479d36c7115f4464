package io.jkevy.engine.command.hash;

import io.jkevy.engine.command.server.Digest;
import io.jkevy.store.type.hash.HashValue;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * DEBUG DIGEST of a hash, independent of field order and encoding: each pair contributes
 * SHA-1(int fieldLen, field, int valueLen, value); the contributions are XORed (fields are
 * unique, so equal pairs cannot cancel) and the pair count and the XOR are fed to the caller's
 * digest.
 */
public final class HashDigest {
    private HashDigest() { }

    public static void digest(Object value, MessageDigest md) {
        HashValue h = (HashValue) value;
        MessageDigest pair;
        try {
            pair = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required by the Java platform", e);
        }
        byte[] acc = new byte[Digest.BYTES];
        for (int t = h.first(); t >= 0; t = h.next(t)) {
            byte[] f = h.fieldAt(t), v = h.valueAt(t);
            pair.reset();
            Digest.putInt(pair, f.length);
            pair.update(f);
            Digest.putInt(pair, v.length);
            pair.update(v);
            Digest.xorInto(acc, pair.digest());
        }
        Digest.putInt(md, h.size());
        md.update(acc);
    }
}
