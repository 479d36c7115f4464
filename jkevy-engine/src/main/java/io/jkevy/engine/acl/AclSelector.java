package io.jkevy.engine.acl;

import io.jkevy.engine.command.AclCategory;
import io.jkevy.engine.command.CommandFlags;
import io.jkevy.engine.command.CommandSpec;
import io.jkevy.engine.util.Glob;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One set of permissions of a user: which commands (a bit per command id of the command
 * table, subcommands included), which keys (glob patterns with read/write permission) and
 * which pub/sub channels. A user has a root selector and, from Redis 7, any number of
 * further selectors "(...)"; a command is allowed when any selector allows it.
 *
 * <p>Mutable only while a user is being built (ACL SETUSER works on a copy); once published
 * in an {@link AclUser} it is read by many threads and never changed.
 */
final class AclSelector {
    static final int READ = 1, WRITE = 2, ALL = READ | WRITE;

    /** A key pattern and the access it grants ({@code ~} = both, {@code %R~}, {@code %W~}). */
    static final class KeyPattern {
        final String text;
        final byte[] bytes;
        int perms;

        KeyPattern(String text, int perms) {
            this.text = text;
            this.bytes = text.getBytes(StandardCharsets.UTF_8);
            this.perms = perms;
        }

        String describe() {
            return (perms == ALL ? "~" : perms == READ ? "%R~" : "%W~") + text;
        }
    }

    final boolean root;
    final BitSet allowed;
    /** Set by +@all and cleared by -@all: the user may run commands added later (describes as "+@all"). */
    boolean future;
    /** Every command allowed with no exception (cleared as soon as one is taken away). */
    boolean allCommands;
    boolean allKeys;
    boolean allChannels;
    final List<KeyPattern> keys;
    final List<String> channels;
    /** The channel patterns' bytes, parallel to {@link #channels}. */
    final List<byte[]> channelBytes;
    /** Allowed first arguments of otherwise blocked commands ("+select|0"), by command id. */
    Map<Integer, List<String>> firstArgs;

    AclSelector(boolean root) {
        this.root = root;
        this.allowed = new BitSet();
        this.keys = new ArrayList<>();
        this.channels = new ArrayList<>();
        this.channelBytes = new ArrayList<>();
    }

    AclSelector copy() {
        AclSelector s = new AclSelector(root);
        s.allowed.or(allowed);
        s.future = future;
        s.allCommands = allCommands;
        s.allKeys = allKeys;
        s.allChannels = allChannels;
        for (KeyPattern k : keys) s.keys.add(new KeyPattern(k.text, k.perms));
        s.channels.addAll(channels);
        s.channelBytes.addAll(channelBytes);
        if (firstArgs != null) {
            s.firstArgs = new HashMap<>();
            for (Map.Entry<Integer, List<String>> e : firstArgs.entrySet()) s.firstArgs.put(e.getKey(), new ArrayList<>(e.getValue()));
        }
        return s;
    }

    boolean unrestricted() { return allCommands && allKeys && allChannels; }

    // ---- applying one rule ------------------------------------------------------------

    /**
     * Applies one selector rule; returns null, or the reason it was refused (Redis's words,
     * as ACL SETUSER quotes them after the modifier).
     */
    String apply(String op, AclCommandIndex idx) {
        String lower = op.toLowerCase(Locale.ROOT);
        switch (lower) {
            case "allkeys", "~*" -> {
                allKeys = true;
                keys.clear();
                return null;
            }
            case "resetkeys" -> {
                allKeys = false;
                keys.clear();
                return null;
            }
            case "allchannels", "&*" -> {
                allChannels = true;
                channels.clear();
                channelBytes.clear();
                return null;
            }
            case "resetchannels" -> {
                allChannels = false;
                channels.clear();
                channelBytes.clear();
                return null;
            }
            case "allcommands", "+@all" -> {
                allowed.set(0, idx.size());
                future = true;
                allCommands = true;
                firstArgs = null;
                return null;
            }
            case "nocommands", "-@all" -> {
                allowed.clear();
                future = false;
                allCommands = false;
                firstArgs = null;
                return null;
            }
            default -> { }
        }
        if (op.isEmpty()) return null;
        char c0 = op.charAt(0);
        if (c0 == '~' || c0 == '%') return addKeyPattern(op);
        if (c0 == '&') {
            if (allChannels) return Acl.ERR_CHANNEL_AFTER_ALL;
            String p = op.substring(1);
            if (hasSpaces(p)) return Acl.ERR_SYNTAX;
            if (!channels.contains(p)) {
                channels.add(p);
                channelBytes.add(p.getBytes(StandardCharsets.UTF_8));
            }
            return null;
        }
        if ((c0 == '+' || c0 == '-') && op.length() > 1 && op.charAt(1) == '@') {
            AclCategory cat = AclCommandIndex.category(op.substring(2));
            if (cat == null) return Acl.ERR_UNKNOWN;
            for (CommandSpec s : idx.all()) if ((s.aclCategories() & cat.bit()) != 0) change(s, c0 == '+');
            return null;
        }
        if (c0 == '+') return allowCommand(op.substring(1), idx);
        if (c0 == '-') {
            CommandSpec s = idx.lookup(op.substring(1));
            if (s == null) return Acl.ERR_UNKNOWN;
            change(s, false);
            return null;
        }
        return Acl.ERR_SYNTAX;
    }

    private String addKeyPattern(String op) {
        if (allKeys) return Acl.ERR_KEY_AFTER_ALL;
        int perms = 0;
        int i = 1;
        if (op.charAt(0) == '%') {
            for (; i < op.length(); i++) {
                char ch = Character.toUpperCase(op.charAt(i));
                if (ch == 'R' && (perms & READ) == 0) perms |= READ;
                else if (ch == 'W' && (perms & WRITE) == 0) perms |= WRITE;
                else if (op.charAt(i) == '~') { i++; break; }
                else return Acl.ERR_SYNTAX;
            }
            if (perms == 0) return Acl.ERR_SYNTAX;       // "%~x" grants nothing (Redis would crash printing it)
        } else {
            perms = ALL;
        }
        String p = op.substring(Math.min(i, op.length()));
        if (hasSpaces(p)) return Acl.ERR_SYNTAX;
        for (KeyPattern k : keys) {
            if (k.text.equals(p)) {
                k.perms |= perms;
                return null;
            }
        }
        keys.add(new KeyPattern(p, perms));
        allKeys = false;
        return null;
    }

    private String allowCommand(String name, AclCommandIndex idx) {
        int bar = name.lastIndexOf('|');
        if (bar < 0) {
            CommandSpec s = idx.lookup(name);
            if (s == null) return Acl.ERR_UNKNOWN;
            change(s, true);
            return null;
        }
        String container = name.substring(0, bar);
        String sub = name.substring(bar + 1);
        CommandSpec s = idx.lookup(container);
        if (s == null) return Acl.ERR_UNKNOWN;
        if (s.parent() != null) return Acl.ERR_FIRSTARG_OF_SUB;
        if (sub.isEmpty()) return Acl.ERR_SYNTAX;
        if (!s.subcommands().isEmpty()) {
            CommandSpec sc = idx.lookup(name);
            if (sc == null) return Acl.ERR_UNKNOWN;
            change(sc, true);
        } else {
            // "+select|0": the first argument of a command that is otherwise blocked
            if (firstArgs == null) firstArgs = new HashMap<>();
            List<String> l = firstArgs.computeIfAbsent(s.id(), k -> new ArrayList<>());
            for (String a : l) if (a.equalsIgnoreCase(sub)) return null;
            l.add(sub);
        }
        return null;
    }

    /** Allows or denies one command; for a container, every subcommand with it. */
    void change(CommandSpec s, boolean allow) {
        setBit(s.id(), allow);
        if (firstArgs != null) firstArgs.remove(s.id());
        for (CommandSpec sub : s.subcommands().values()) setBit(sub.id(), allow);
    }

    private void setBit(int id, boolean allow) {
        if (allow) {
            allowed.set(id);
        } else {
            allowed.clear(id);
            allCommands = false;
        }
    }

    static boolean hasSpaces(String s) {
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (Character.isWhitespace(ch) || ch == 0) return true;
        }
        return false;
    }

    // ---- checks -----------------------------------------------------------------------

    /**
     * Checks one command: {@link Acl#OK}, or the denial code; the position of the refused key
     * or channel goes to {@code pos[0]}.
     */
    int check(CommandSpec spec, byte[][] argv, AclKeys.Positions keysOf, int[] pos) {
        if (!allCommands && !spec.has(CommandFlags.NO_AUTH) && !allowed.get(spec.id())) {
            List<String> fa = firstArgs == null ? null : firstArgs.get(spec.id());
            int at = spec.parent() != null ? 2 : 1;
            boolean ok = false;
            if (fa != null && argv.length > at) {
                String a = new String(argv[at], StandardCharsets.UTF_8);
                for (String f : fa) if (f.equalsIgnoreCase(a)) { ok = true; break; }
            }
            if (!ok) return Acl.DENIED_CMD;
        }
        if (!allKeys && keysOf.count() > 0) {
            for (int i = 0; i < keysOf.count(); i++) {
                int p = keysOf.pos(i);
                if (!keyAllowed(argv[p], keysOf.perms(i))) {
                    pos[0] = p;
                    return Acl.DENIED_KEY;
                }
            }
        }
        if (!allChannels) {
            int ch = AclKeys.channelStart(spec, argv);
            if (ch > 0) {
                boolean literal = spec.name().equals("psubscribe");
                int end = AclKeys.channelEnd(spec, argv);
                for (int j = ch; j < end; j++) {
                    if (!channelAllowed(argv[j], literal)) {
                        pos[0] = j;
                        return Acl.DENIED_CHANNEL;
                    }
                }
            }
        }
        return Acl.OK;
    }

    boolean keyAllowed(byte[] key, int need) {
        if (allKeys) return true;
        for (KeyPattern k : keys) {
            if ((k.perms & need) != need) continue;
            if (Glob.match(k.bytes, key, false)) return true;
        }
        return false;
    }

    /** {@code literal}: PSUBSCRIBE patterns must equal an allowed pattern exactly, as in Redis. */
    boolean channelAllowed(byte[] channel, boolean literal) {
        if (allChannels) return true;
        for (byte[] pb : channelBytes) {
            if (literal ? java.util.Arrays.equals(pb, channel) : Glob.match(pb, channel, false)) return true;
        }
        return false;
    }

    // ---- description ------------------------------------------------------------------

    /** Key, channel and command rules as ACL LIST shows them ("~a* resetchannels &c -@all +get"). */
    String describe(AclCommandIndex idx) {
        StringBuilder sb = new StringBuilder();
        if (allKeys) {
            sb.append("~* ");
        } else {
            for (KeyPattern k : keys) sb.append(k.describe()).append(' ');
        }
        if (allChannels) {
            sb.append("&* ");
        } else {
            sb.append("resetchannels ");
            for (String c : channels) sb.append('&').append(c).append(' ');
        }
        sb.append(describeCommands(idx));
        return sb.toString();
    }

    String describeKeys() {
        if (allKeys) return "~*";
        StringBuilder sb = new StringBuilder();
        for (KeyPattern k : keys) {
            if (!sb.isEmpty()) sb.append(' ');
            sb.append(k.describe());
        }
        return sb.toString();
    }

    String describeChannels() {
        if (allChannels) return "&*";
        StringBuilder sb = new StringBuilder();
        for (String c : channels) {
            if (!sb.isEmpty()) sb.append(' ');
            sb.append('&').append(c);
        }
        return sb.toString();
    }

    /**
     * The command rules, computed from the bitmap as Redis 7.0 does: a base of +@all (when
     * future commands are allowed) or -@all, then greedily the category that explains most
     * commands with fewest exceptions, repeated while one helps, then single commands that
     * still differ, in command-table order, then allowed first arguments.
     */
    String describeCommands(AclCommandIndex idx) {
        boolean additive = !future;
        StringBuilder sb = new StringBuilder(additive ? "-@all" : "+@all");
        BitSet fake = new BitSet();
        if (!additive) fake.set(0, idx.size());
        BitSet temp = (BitSet) allowed.clone();
        AclCategory[] cats = AclCategory.values();
        boolean[] applied = new boolean[cats.length];
        while (true) {
            int best = -1;
            long minDiff = Long.MAX_VALUE, maxSame = 0;
            for (int j = 0; j < cats.length; j++) {
                if (applied[j]) continue;
                long on = 0, off = 0;
                for (CommandSpec s : idx.all()) {
                    if ((s.aclCategories() & cats[j].bit()) == 0) continue;
                    if (temp.get(s.id())) on++; else off++;
                }
                long diff = additive ? off : on, same = additive ? on : off;
                if (same > diff && (diff < minDiff || (diff == minDiff && same > maxSame))) {
                    best = j;
                    minDiff = diff;
                    maxSame = same;
                }
            }
            if (best < 0) break;
            applied[best] = true;
            sb.append(additive ? " +@" : " -@").append(cats[best].aclName());
            for (CommandSpec s : idx.all()) {
                if ((s.aclCategories() & cats[best].bit()) == 0) continue;
                changeBits(fake, s, additive);
                changeBits(temp, s, !additive);
            }
        }
        for (CommandSpec s : idx.all()) {
            boolean user = allowed.get(s.id());
            if (user != fake.get(s.id())) {
                sb.append(user ? " +" : " -").append(s.name());
                changeBits(fake, s, user);
            }
            if (!user && firstArgs != null && firstArgs.containsKey(s.id())) {
                for (String a : firstArgs.get(s.id())) sb.append(" +").append(s.name()).append('|').append(a);
            }
        }
        return sb.toString();
    }

    private static void changeBits(BitSet b, CommandSpec s, boolean on) {
        b.set(s.id(), on);
        for (CommandSpec sub : s.subcommands().values()) b.set(sub.id(), on);
    }
}
