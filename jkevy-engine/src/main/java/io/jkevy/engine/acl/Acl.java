package io.jkevy.engine.acl;

import io.jkevy.engine.Engine;
import io.jkevy.engine.Session;
import io.jkevy.engine.acl.AclUser.Rules;
import io.jkevy.engine.command.CommandSpec;
import io.jkevy.engine.command.client.ClientInfo;
import io.jkevy.engine.config.Config;
import io.jkevy.engine.config.ConfigException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Users and their permissions (Redis 7's ACL): the user table, authentication, the
 * permission check the dispatcher runs before every command, the ACL log, and the ACL file.
 *
 * <p>The user table is replaced as a whole on change (copy on write) and each user's rules
 * are an immutable snapshot, so {@link #check} takes no lock. Changes (SETUSER, DELUSER,
 * LOAD, requirepass) are serialized by this object's monitor.
 */
public final class Acl {
    /** The argument positions of {@code argv}'s keys, movable-key commands included (their own syntax). */
    public static int[] keyPositions(io.jkevy.engine.command.CommandSpec spec, byte[][] argv) {
        AclKeys.Positions p = AclKeys.of(spec, argv);
        int[] out = new int[p.count()];
        for (int i = 0; i < out.length; i++) out[i] = p.pos(i);
        return out;
    }

    // permission check results, ordered as Redis ranks them when selectors disagree
    static final int OK = 0, DENIED_CMD = 1, DENIED_KEY = 2, DENIED_AUTH = 3, DENIED_CHANNEL = 4;

    public static final String NOAUTH = "NOAUTH Authentication required.";
    public static final String WRONGPASS = "WRONGPASS invalid username-password pair or user is disabled.";
    public static final String NOAUTH_HELLO = "NOAUTH HELLO must be called with the client already authenticated, "
            + "otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select "
            + "the RESP protocol version at the same time";
    static final String NOPERM_KEY = "NOPERM this user has no permissions to access one of the keys used as arguments";
    static final String NOPERM_CHANNEL = "NOPERM this user has no permissions to access one of the channels used as arguments";

    // ACL SETUSER modifier errors (Redis's words)
    static final String ERR_UNKNOWN = "Unknown command or category name in ACL";
    static final String ERR_SYNTAX = "Syntax error";
    static final String ERR_KEY_AFTER_ALL = "Adding a pattern after the * pattern (or the 'allkeys' flag) is not valid "
            + "and does not have any effect. Try 'resetkeys' to start with an empty list of patterns";
    static final String ERR_CHANNEL_AFTER_ALL = "Adding a pattern after the * pattern (or the 'allchannels' flag) is not "
            + "valid and does not have any effect. Try 'resetchannels' to start with an empty list of channels";
    static final String ERR_NO_SUCH_PASSWORD = "The password you are trying to remove from the user does not exist";
    static final String ERR_BAD_HASH = "The password hash must be exactly 64 characters and contain only lowercase "
            + "hexadecimal characters";
    static final String ERR_FIRSTARG_OF_SUB = "Allowing first-arg of a subcommand is not supported";

    public static final String DEFAULT = "default";

    private final Engine engine;
    private final AclCommandIndex index;
    private final AclUser defaultUser;
    private volatile TreeMap<String, AclUser> users = new TreeMap<>();
    private volatile String aclFile = "";
    private volatile int logMaxLen = 128;
    /** acl-pubsub-default: whether new users (and selectors, and "reset") start with all channels. */
    private volatile boolean pubsubAllChannels;
    private final ArrayDeque<LogEntry> log = new ArrayDeque<>();
    private long nextEntryId;            // guarded by log

    public Acl(Engine engine) {
        this.engine = engine;
        this.index = new AclCommandIndex(engine.commands());
        this.defaultUser = new AclUser(DEFAULT, defaultRules());
        TreeMap<String, AclUser> m = new TreeMap<>();
        m.put(DEFAULT, defaultUser);
        users = m;
    }

    private Rules defaultRules() {
        Rules r = Rules.fresh(false);
        for (String op : new String[] {"+@all", "~*", "&*", "on", "nopass"}) applyUserOp(r, op);
        return r.seal();
    }

    /** Registers requirepass (sets the default user's password), aclfile, acl-pubsub-default and acllog-max-len. */
    public void registerConfig(Config c) {
        c.stringEntry("requirepass", "", true, this::requirePass);
        c.stringEntry("aclfile", "", false, v -> aclFile = v == null ? "" : v.trim());
        c.enumEntry("acl-pubsub-default", "resetchannels", List.of("allchannels", "resetchannels"),
                v -> pubsubAllChannels = v.equals("allchannels"));
        c.intEntry("acllog-max-len", 128, 0, Integer.MAX_VALUE, v -> {
            logMaxLen = (int) v;
            synchronized (log) {
                while (log.size() > logMaxLen) log.removeLast();
            }
        });
    }

    /** At startup, after the settings: loads {@code aclfile} when one is configured. */
    public void loadAtStartup() throws ConfigException {
        if (aclFile.isEmpty()) return;
        String errors = load();
        if (errors != null) throw new ConfigException("Aborting startup because of ACL errors: " + errors);
    }

    // ---- users ------------------------------------------------------------------------

    public AclUser defaultUser() { return defaultUser; }

    public AclUser user(String name) { return users.get(name); }

    public Collection<AclUser> users() { return users.values(); }

    /** requirepass: the default user gets exactly this password, or nopass when empty. */
    private synchronized void requirePass(String pass) {
        Rules r = defaultUser.rules().copy();
        applyUserOp(r, "resetpass");
        applyUserOp(r, pass == null || pass.isEmpty() ? "nopass" : ">" + pass);
        defaultUser.rules(r.seal());
    }

    /** True when the default user has the nopass flag. */
    public boolean defaultNopass() { return defaultUser.rules().nopass(); }

    /** True when the default user needs a password or is off: new clients start unauthenticated. */
    public boolean defaultNeedsAuth() {
        Rules d = defaultUser.rules();
        return !d.nopass() || !d.enabled;
    }

    /** A new client: user "default", authenticated when that user has no password and is on. */
    public void onConnect(Session s) {
        s.user(defaultUser);
        s.authenticated(!defaultNeedsAuth());
    }

    /** RESET: back to the default user, as a new connection. */
    public void onReset(Session s) { onConnect(s); }

    /**
     * AUTH / HELLO AUTH: checks the credentials and, when they are good, makes {@code s} that
     * user. A failure is written to the ACL log (reason "auth"); returns false.
     */
    public boolean authenticate(Session s, byte[] user, byte[] pass, byte[][] argv, long now) {
        String name = new String(user, StandardCharsets.UTF_8);
        AclUser u = users.get(name);
        if (u != null && credentialsOk(u.rules(), pass)) {
            s.user(u);
            s.authenticated(true);
            return true;
        }
        addLog(s, argv, now, DENIED_AUTH, "toplevel", new String(argv[0], StandardCharsets.UTF_8), name);
        return false;
    }

    private static boolean credentialsOk(Rules r, byte[] pass) {
        if (!r.enabled) return false;
        if (r.nopass()) return true;
        byte[] h = sha256Hex(pass).getBytes(StandardCharsets.US_ASCII);
        boolean ok = false;
        for (String p : r.passwords) ok |= MessageDigest.isEqual(h, p.getBytes(StandardCharsets.US_ASCII));
        return ok;
    }

    static String sha256Hex(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- the permission check ---------------------------------------------------------

    /**
     * The dispatcher's check before a command body: null when {@code s} may run it, else the
     * error reply (NOAUTH / NOPERM), with the denial written to the ACL log.
     * {@code context} is "toplevel", "multi" or "lua".
     */
    public String check(Session s, CommandSpec spec, byte[][] argv, String context, long now) {
        AclUser u = s.user();
        if (u == null) return null;                       // internal sessions: journal replay, embedded
        Rules r = u.rules();
        if (!s.authenticated()) {
            if (defaultNeedsAuth() && !spec.has(io.jkevy.engine.command.CommandFlags.NO_AUTH)) return NOAUTH;
        }
        if (r.unrestricted) return null;
        int[] pos = new int[1];
        int res = checkRules(r, spec, argv, pos);
        if (res == OK) return null;
        String object = switch (res) {
            case DENIED_CMD -> spec.name();
            default -> new String(argv[pos[0]], StandardCharsets.UTF_8);
        };
        addLog(s, argv, now, res, context, object, u.name());
        return switch (res) {
            case DENIED_CMD -> "NOPERM this user has no permissions to run the '" + spec.name() + "' command";
            case DENIED_KEY -> NOPERM_KEY;
            default -> NOPERM_CHANNEL;
        };
    }

    /** Any selector allowing the command wins; otherwise the most relevant denial, as Redis picks it. */
    static int checkRules(Rules r, CommandSpec spec, byte[][] argv, int[] pos) {
        AclKeys.Positions keys = AclKeys.of(spec, argv);
        int relevant = DENIED_CMD, lastIdx = 0;
        int[] p = new int[1];
        for (AclSelector sel : r.selectors) {
            p[0] = 0;
            int res = sel.check(spec, argv, keys, p);
            if (res == OK) return OK;
            if (res > relevant || (res == relevant && p[0] > lastIdx)) {
                relevant = res;
                lastIdx = p[0];
            }
        }
        pos[0] = lastIdx;
        return relevant;
    }

    /** ACL DRYRUN: null when allowed, else Redis's sentence for the denial. */
    public String dryRun(AclUser u, CommandSpec spec, byte[][] argv) {
        int[] pos = new int[1];
        int res = checkRules(u.rules(), spec, argv, pos);
        return switch (res) {
            case OK -> null;
            case DENIED_CMD -> "This user has no permissions to run the '" + spec.name() + "' command";
            case DENIED_KEY -> "This user has no permissions to access the '"
                    + new String(argv[pos[0]], StandardCharsets.UTF_8) + "' key";
            default -> "This user has no permissions to access the '"
                    + new String(argv[pos[0]], StandardCharsets.UTF_8) + "' channel";
        };
    }


    // ---- SETUSER / DELUSER ------------------------------------------------------------

    /**
     * ACL SETUSER: applies {@code ops} to a copy of the user (a new one when absent) and
     * publishes it only when every op was accepted. Returns null, or the error reply.
     */
    public synchronized String setUser(String name, List<String> ops) {
        if (AclSelector.hasSpaces(name)) return "ERR Usernames can't contain spaces or null characters";
        List<String> merged = mergeSelectors(ops);
        if (merged == null) return "ERR Unmatched parenthesis in acl selector starting at '" + unmatched(ops) + "'.";
        AclUser u = users.get(name);
        Rules r = u == null ? Rules.fresh(pubsubAllChannels) : u.rules().copy();
        for (String op : merged) {
            String err = applyUserOp(r, op);
            if (err != null) return "ERR Error in ACL SETUSER modifier '" + op + "': " + err;
        }
        r.seal();
        if (u == null) {
            TreeMap<String, AclUser> m = new TreeMap<>(users);
            m.put(name, new AclUser(name, r));
            users = m;
        } else {
            u.rules(r);
        }
        return null;
    }

    /** Joins "(+get" "~x)" into one "(+get ~x)" argument; null when a parenthesis is left open. */
    static List<String> mergeSelectors(List<String> ops) {
        List<String> out = new ArrayList<>();
        StringBuilder open = null;
        for (String op : ops) {
            if (open == null && op.startsWith("(") && !op.endsWith(")")) {
                open = new StringBuilder(op);
                continue;
            }
            if (open != null) {
                open.append(' ').append(op);
                if (op.endsWith(")")) {
                    out.add(open.toString());
                    open = null;
                }
                continue;
            }
            out.add(op);
        }
        return open == null ? out : null;
    }

    private static String unmatched(List<String> ops) {
        String start = null;
        for (String op : ops) {
            if (start == null && op.startsWith("(") && !op.endsWith(")")) start = op;
            else if (start != null && op.endsWith(")")) start = null;
        }
        return start == null ? "" : start;
    }

    /** One SETUSER modifier on user rules being built; null or the reason it was refused. */
    String applyUserOp(Rules r, String op) {
        if (op.isEmpty()) return null;
        switch (op.toLowerCase(java.util.Locale.ROOT)) {
            case "on" -> { r.flags = (r.flags | AclUser.ON) & ~AclUser.OFF; return null; }
            case "off" -> { r.flags = (r.flags | AclUser.OFF) & ~AclUser.ON; return null; }
            case "skip-sanitize-payload" -> { r.flags = (r.flags | AclUser.SKIP_SANITIZE) & ~AclUser.SANITIZE; return null; }
            case "sanitize-payload" -> { r.flags = (r.flags | AclUser.SANITIZE) & ~AclUser.SKIP_SANITIZE; return null; }
            case "nopass" -> { r.flags |= AclUser.NOPASS; r.passwords.clear(); return null; }
            case "resetpass" -> { r.flags &= ~AclUser.NOPASS; r.passwords.clear(); return null; }
            case "clearselectors" -> {
                while (r.selectors.size() > 1) r.selectors.remove(r.selectors.size() - 1);
                return null;
            }
            case "reset" -> {
                for (String o : new String[] {"resetpass", "resetkeys", "resetchannels", "off", "sanitize-payload",
                        "clearselectors", "-@all"}) applyUserOp(r, o);
                if (pubsubAllChannels) applyUserOp(r, "allchannels");
                return null;
            }
            default -> { }
        }
        char c0 = op.charAt(0);
        if (c0 == '>' || c0 == '#') {
            String h;
            if (c0 == '>') {
                h = sha256Hex(op.substring(1).getBytes(StandardCharsets.UTF_8));
            } else {
                h = op.substring(1);
                if (!validHash(h)) return ERR_BAD_HASH;
            }
            if (!r.passwords.contains(h)) r.passwords.add(h);
            r.flags &= ~AclUser.NOPASS;
            return null;
        }
        if (c0 == '<' || c0 == '!') {
            String h;
            if (c0 == '<') {
                h = sha256Hex(op.substring(1).getBytes(StandardCharsets.UTF_8));
            } else {
                h = op.substring(1);
                if (!validHash(h)) return ERR_BAD_HASH;
            }
            if (!r.passwords.remove(h)) return ERR_NO_SUCH_PASSWORD;
            return null;
        }
        if (c0 == '(' && op.endsWith(")")) {
            AclSelector sel = new AclSelector(false);
            sel.allChannels = pubsubAllChannels;
            String inner = op.substring(1, op.length() - 1).trim();
            if (!inner.isEmpty()) {
                for (String part : inner.split("\\s+")) {
                    String err = sel.apply(part, index);
                    if (err != null) return err;
                }
            }
            r.selectors.add(sel);
            return null;
        }
        return r.root().apply(op, index);
    }

    private static boolean validHash(String h) {
        if (h.length() != 64) return false;
        for (int i = 0; i < 64; i++) {
            char ch = h.charAt(i);
            if ((ch < 'a' || ch > 'f') && (ch < '0' || ch > '9')) return false;
        }
        return true;
    }

    /**
     * ACL DELUSER: removes the users and disconnects their clients (after the reply, for the
     * caller). Returns the number deleted, or -1 when "default" is among them (nothing done).
     */
    public synchronized int delUsers(List<String> names, Session caller) {
        for (String n : names) if (n.equals(DEFAULT)) return -1;
        TreeMap<String, AclUser> m = new TreeMap<>(users);
        int deleted = 0;
        List<AclUser> gone = new ArrayList<>();
        for (String n : names) {
            AclUser u = m.remove(n);
            if (u != null) {
                deleted++;
                gone.add(u);
            }
        }
        users = m;
        for (AclUser u : gone) disconnect(u, caller);
        return deleted;
    }

    /** Logs out and disconnects every client of {@code u} (the caller after its reply), as Redis. */
    private void disconnect(AclUser u, Session caller) {
        for (Session s : engine.sessions()) {
            if (s.user() != u) continue;
            s.user(defaultUser);
            s.authenticated(false);
            if (s == caller) {
                s.closeAfterReply();
            } else {
                s.connection().close();
            }
        }
    }

    // ---- describing -------------------------------------------------------------------

    /** The user as ACL LIST and the ACL file show it, without the leading "user name ". */
    public String describe(AclUser u) {
        Rules r = u.rules();
        StringBuilder sb = new StringBuilder();
        for (String f : r.flagNames()) sb.append(f).append(' ');
        for (String p : r.passwords) sb.append('#').append(p).append(' ');
        sb.append(r.root().describe(index));
        for (int i = 1; i < r.selectors.size(); i++) sb.append(" (").append(r.selectors.get(i).describe(index)).append(')');
        return sb.toString();
    }

    /** ACL LIST lines, users in name order. */
    public List<String> list() {
        List<String> out = new ArrayList<>();
        for (AclUser u : users.values()) out.add("user " + u.name() + " " + describe(u));
        return out;
    }

    /** ACL GETUSER's fields of one user: flags, passwords, and per selector commands/keys/channels. */
    public record UserView(List<String> flags, List<String> passwords, SelectorView root, List<SelectorView> selectors) { }

    public record SelectorView(String commands, String keys, String channels) { }

    public UserView view(AclUser u) {
        Rules r = u.rules();
        List<SelectorView> sels = new ArrayList<>();
        for (int i = 1; i < r.selectors.size(); i++) sels.add(selectorView(r.selectors.get(i)));
        return new UserView(r.flagNames(), List.copyOf(r.passwords), selectorView(r.root()), sels);
    }

    private SelectorView selectorView(AclSelector s) {
        return new SelectorView(s.describeCommands(index), s.describeKeys(), s.describeChannels());
    }

    /** ACL CAT category: every command and subcommand in the category, table order; null when unknown. */
    public List<String> commandsIn(String category) {
        var cat = AclCommandIndex.category(category);
        if (cat == null) return null;
        List<String> out = new ArrayList<>();
        for (CommandSpec s : index.all()) if ((s.aclCategories() & cat.bit()) != 0) out.add(s.name());
        return out;
    }

    // ---- the ACL file -----------------------------------------------------------------

    public String aclFile() { return aclFile; }

    /** ACL SAVE: every user, one line each, written to a temporary file and renamed over the file. */
    public synchronized void save() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (String line : list()) sb.append(line).append('\n');
        Path target = Path.of(aclFile);
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp-" + ProcessHandle.current().pid() + "-" + System.currentTimeMillis());
        try {
            Files.writeString(tmp, sb.toString(), StandardCharsets.UTF_8);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * ACL LOAD: reads the file and, only when every line is valid, replaces all users (the
     * default user keeps its identity and takes the file's rules, or the initial ones when
     * the file has no "default" line). Clients of the replaced users are disconnected.
     * Returns null, or the errors in Redis's words.
     */
    public synchronized String load() {
        String file = aclFile;
        String text;
        try {
            text = Files.readString(Path.of(file), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return "Error loading ACLs, opening file '" + file + "': No such file or directory";
        } catch (IOException e) {
            return "Error loading ACLs, opening file '" + file + "': " + e.getMessage();
        }
        StringBuilder errors = new StringBuilder();
        Map<String, Rules> loaded = new TreeMap<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int lineNo = i + 1;
            String line = lines[i].strip();
            if (line.isEmpty()) continue;
            List<String> argv = new ArrayList<>(List.of(line.split(" ")));
            if (!argv.get(0).equals("user") || argv.size() < 2) {
                errors.append(file).append(':').append(lineNo)
                      .append(" should start with user keyword followed by the username. ");
                continue;
            }
            String name = argv.get(1);
            if (loaded.containsKey(name)) {
                errors.append("WARNING: Duplicate user '").append(name).append("' found on line ").append(lineNo).append(". ");
                continue;
            }
            List<String> merged = mergeSelectors(argv.subList(2, argv.size()));
            if (merged == null) {
                errors.append(file).append(':').append(lineNo).append(": Unmatched parenthesis in selector definition.");
                continue;
            }
            Rules r = Rules.fresh(pubsubAllChannels);
            for (String op : merged) {
                String err = applyUserOp(r, op.strip());
                if (err != null) errors.append(file).append(':').append(lineNo).append(": ").append(err).append(". ");
            }
            loaded.put(name, r.seal());
        }
        if (!errors.isEmpty()) {
            return errors.append("WARNING: ACL errors detected, no change to the previously active ACL rules was performed").toString();
        }
        TreeMap<String, AclUser> old = users;
        TreeMap<String, AclUser> m = new TreeMap<>();
        for (Map.Entry<String, Rules> e : loaded.entrySet()) {
            if (e.getKey().equals(DEFAULT)) continue;
            m.put(e.getKey(), new AclUser(e.getKey(), e.getValue()));
        }
        Rules d = loaded.get(DEFAULT);
        defaultUser.rules(d != null ? d : defaultRules());
        m.put(DEFAULT, defaultUser);
        users = m;
        for (AclUser u : old.values()) if (u != defaultUser) disconnect(u, null);
        return null;
    }

    // ---- the ACL log ------------------------------------------------------------------

    /** One ACL LOG entry; repeated denials within a minute are counted in one entry, as Redis. */
    public static final class LogEntry {
        public long count = 1;
        public final String reason, context, object, username;
        /** Time of the latest occurrence (age-seconds, timestamp-last-updated). */
        public long createdMillis;
        public String clientInfo;
        /** Redis 7.2 fields (clients such as Jedis 5 require them): a unique id and the first occurrence's time. */
        public long entryId, firstMillis;

        LogEntry(String reason, String context, String object, String username, long now, String clientInfo) {
            this.firstMillis = now;
            this.reason = reason;
            this.context = context;
            this.object = object;
            this.username = username;
            this.createdMillis = now;
            this.clientInfo = clientInfo;
        }

        boolean sameAs(LogEntry o) {
            return reason.equals(o.reason) && context.equals(o.context) && Math.abs(createdMillis - o.createdMillis) <= 60000
                    && object.equals(o.object) && username.equals(o.username);
        }
    }

    private static String reasonName(int code) {
        return switch (code) {
            case DENIED_CMD -> "command";
            case DENIED_KEY -> "key";
            case DENIED_CHANNEL -> "channel";
            case DENIED_AUTH -> "auth";
            default -> "unknown";
        };
    }

    private void addLog(Session s, byte[][] argv, long now, int reason, String context, String object, String user) {
        LogEntry e = new LogEntry(reasonName(reason), context, object, user, now, ClientInfo.line(s, s, argv, now));
        synchronized (log) {
            int scanned = 0;
            for (var it = log.iterator(); it.hasNext() && scanned < 10; scanned++) {
                LogEntry cur = it.next();
                if (cur.sameAs(e)) {
                    it.remove();
                    cur.count++;
                    cur.createdMillis = e.createdMillis;
                    cur.clientInfo = e.clientInfo;
                    log.addFirst(cur);
                    return;
                }
            }
            e.entryId = nextEntryId++;
            log.addFirst(e);
            while (log.size() > logMaxLen) log.removeLast();
        }
    }

    /** The newest {@code count} entries, newest first (copies of their fields at this moment). */
    public List<LogEntry> logEntries(long count) {
        List<LogEntry> out = new ArrayList<>();
        synchronized (log) {
            for (LogEntry e : log) {
                if (out.size() >= count) break;
                LogEntry c = new LogEntry(e.reason, e.context, e.object, e.username, e.createdMillis, e.clientInfo);
                c.count = e.count;
                c.entryId = e.entryId;
                c.firstMillis = e.firstMillis;
                out.add(c);
            }
        }
        return out;
    }

    public void resetLog() {
        synchronized (log) {
            log.clear();
        }
    }

}
