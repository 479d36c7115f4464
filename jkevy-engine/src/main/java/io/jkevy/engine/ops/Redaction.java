package io.jkevy.engine.ops;

import io.jkevy.engine.Args;

import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Hides secrets before a command's arguments are shown by MONITOR or kept in the slow log,
 * as Redis does: every argument of AUTH, the user and password after HELLO's AUTH, the
 * password(s) after MIGRATE's AUTH/AUTH2, and the value of CONFIG SET for password keys.
 * Each hidden argument reads {@code (redacted)}.
 */
final class Redaction {
    private Redaction() { }

    static final byte[] REDACTED = "(redacted)".getBytes(StandardCharsets.US_ASCII);

    private static final Set<String> SECRET_CONFIG = Set.of(
            "requirepass", "masterauth", "masteruser", "tls-key-file-pass", "tls-client-key-file-pass");

    /** {@code argv} itself when nothing is secret, otherwise a copy with secrets replaced. */
    static byte[][] redact(byte[][] argv) {
        byte[] cmd = argv[0];
        if (Args.is(cmd, "auth")) {
            byte[][] r = argv.clone();
            for (int i = 1; i < r.length; i++) r[i] = REDACTED;
            return r;
        }
        if (Args.is(cmd, "hello")) {
            for (int i = 2; i < argv.length; i++) {
                if (Args.is(argv[i], "auth")) {
                    byte[][] r = argv.clone();
                    for (int j = i + 1; j <= i + 2 && j < r.length; j++) r[j] = REDACTED;
                    return r;
                }
            }
            return argv;
        }
        if (Args.is(cmd, "migrate")) {
            byte[][] r = argv;
            for (int i = 6; i < argv.length; i++) {
                int n = Args.is(argv[i], "auth") ? 1 : Args.is(argv[i], "auth2") ? 2 : 0;
                if (n == 0) continue;
                if (r == argv) r = argv.clone();
                for (int j = i + 1; j <= i + n && j < r.length; j++) r[j] = REDACTED;
                i += n;
            }
            return r;
        }
        if (Args.is(cmd, "config") && argv.length > 3 && Args.is(argv[1], "set")) {
            byte[][] r = argv;
            for (int i = 2; i + 1 < argv.length; i += 2) {
                String name = new String(argv[i], StandardCharsets.US_ASCII).toLowerCase(java.util.Locale.ROOT);
                if (!SECRET_CONFIG.contains(name)) continue;
                if (r == argv) r = argv.clone();
                r[i + 1] = REDACTED;
            }
            return r;
        }
        return argv;
    }
}
