package io.jkevy.engine.command.client;

import io.jkevy.engine.CommandContext;
import io.jkevy.engine.Engine;

import java.nio.charset.StandardCharsets;

/**
 * AUTH and HELLO ... AUTH on top of the ACL ({@link io.jkevy.engine.acl.Acl}): users,
 * passwords (SHA-256), and the session's login state live there.
 */
public final class Auth {
    private Auth() { }

    public static final byte[] DEFAULT_USER = "default".getBytes(StandardCharsets.US_ASCII);
    public static final String WRONGPASS = "WRONGPASS invalid username-password pair or user is disabled.";
    public static final String NO_PASSWORD_CONFIGURED = "ERR AUTH <password> called without any password configured "
            + "for the default user. Are you sure your configuration is correct?";

    /** True when the default user has a password (AUTH with one argument is then meaningful). */
    public static boolean passwordConfigured(Engine e) { return !e.acl().defaultNopass(); }

    /**
     * AUTH / HELLO AUTH for {@code c}'s session: logs it in as {@code user} when the
     * credentials are good (see {@link io.jkevy.engine.acl.Acl#authenticate}).
     */
    public static boolean login(CommandContext c, byte[] user, byte[] pass) {
        return c.engine().acl().authenticate(c.session(), user, pass, c.argv(), c.now());
    }
}
