package io.jkevy.engine.acl;

import java.util.ArrayList;
import java.util.List;

/**
 * A user: its name and its current rules. The rules are an immutable snapshot replaced as a
 * whole by ACL SETUSER (which builds a changed copy), so the command path reads them
 * without locks and a session holding the user sees changes at once.
 */
public final class AclUser {
    private final String name;
    private volatile Rules rules;

    AclUser(String name, Rules rules) {
        this.name = name;
        this.rules = rules;
    }

    public String name() { return name; }

    Rules rules() { return rules; }

    void rules(Rules r) { rules = r; }

    /** True when the user is "on". */
    public boolean enabled() { return rules.enabled; }

    /** User flags as Redis orders them. */
    static final int ON = 1, OFF = 2, NOPASS = 4, SKIP_SANITIZE = 8, SANITIZE = 16;
    static final String[] FLAG_NAMES = {"on", "off", "nopass", "skip-sanitize-payload", "sanitize-payload"};

    /** Flags, password hashes (lowercase hex SHA-256) and selectors (root first). */
    static final class Rules {
        int flags;
        boolean enabled;
        final List<String> passwords = new ArrayList<>();
        final List<AclSelector> selectors = new ArrayList<>();
        /** Root selector allows every command, key and channel, and no other selector exists that matters. */
        boolean unrestricted;

        Rules() { }

        /** A new user: off, no passwords, no commands or keys; all channels when {@code allChannels}. */
        static Rules fresh(boolean allChannels) {
            Rules r = new Rules();
            r.flags = OFF;
            AclSelector root = new AclSelector(true);
            root.allChannels = allChannels;
            r.selectors.add(root);
            return r;
        }

        Rules copy() {
            Rules r = new Rules();
            r.flags = flags;
            r.passwords.addAll(passwords);
            for (AclSelector s : selectors) r.selectors.add(s.copy());
            r.seal();
            return r;
        }

        AclSelector root() { return selectors.get(0); }

        boolean nopass() { return (flags & NOPASS) != 0; }

        /** Recomputes the derived fields once building is done. */
        Rules seal() {
            enabled = (flags & ON) != 0;
            unrestricted = root().unrestricted();
            return this;
        }

        List<String> flagNames() {
            List<String> out = new ArrayList<>();
            for (int i = 0; i < FLAG_NAMES.length; i++) if ((flags & (1 << i)) != 0) out.add(FLAG_NAMES[i]);
            return out;
        }
    }
}
