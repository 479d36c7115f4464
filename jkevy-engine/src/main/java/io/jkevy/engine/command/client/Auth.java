package io.jkevy.engine.command.client;

import io.jkevy.engine.Engine;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Password checks for AUTH and HELLO ... AUTH until ACLs exist: the only user is
 * "default"; with no {@code requirepass} configured it has no password and any password is
 * accepted for it (Redis's "nopass" default user), otherwise the password must equal
 * {@code requirepass}. Nothing here records per-session authentication: enforcing NOAUTH
 * belongs to the ACL work.
 */
public final class Auth {
    private Auth() { }

    public static final byte[] DEFAULT_USER = "default".getBytes(StandardCharsets.US_ASCII);
    public static final String WRONGPASS = "WRONGPASS invalid username-password pair or user is disabled.";
    public static final String NO_PASSWORD_CONFIGURED = "ERR AUTH <password> called without any password configured "
            + "for the default user. Are you sure your configuration is correct?";

    /** The configured {@code requirepass}, or null when none (unknown key or empty). */
    private static String requirePass(Engine e) {
        String p = e.config().get("requirepass");
        return p == null || p.isEmpty() ? null : p;
    }

    public static boolean passwordConfigured(Engine e) { return requirePass(e) != null; }

    /** True when {@code user}/{@code pass} authenticate; user names are case-sensitive, as in Redis. */
    public static boolean check(Engine e, byte[] user, byte[] pass) {
        if (!MessageDigest.isEqual(user, DEFAULT_USER)) return false;
        String required = requirePass(e);
        if (required == null) return true;
        // constant-time, so the comparison does not leak how many leading bytes matched
        return MessageDigest.isEqual(pass, required.getBytes(StandardCharsets.UTF_8));
    }
}
