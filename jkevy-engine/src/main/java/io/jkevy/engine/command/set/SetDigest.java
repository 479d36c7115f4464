package io.jkevy.engine.command.set;

import io.jkevy.engine.command.server.Digest;
import io.jkevy.store.type.set.SetValue;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * DEBUG DIGEST of a set: {@code int size} then the XOR of SHA-1(member) over all members,
 * so the digest depends on the members only, not on encoding or iteration order.
 */
public final class SetDigest {
    private SetDigest() { }

    public static void register() {
        Digest.register(SetValue.class, (v, md) -> {
            SetValue s = (SetValue) v;
            byte[] acc = new byte[Digest.BYTES];
            MessageDigest one = sha1();
            s.forEach(m -> {
                one.reset();
                Digest.xorInto(acc, one.digest(m));
            });
            Digest.putInt(md, s.size());
            md.update(acc);
        });
    }

    private static MessageDigest sha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
