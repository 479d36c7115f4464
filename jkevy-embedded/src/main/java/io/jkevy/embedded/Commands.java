package io.jkevy.embedded;

import io.jkevy.resp.RespValue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The typed API over every data type, shared by {@link Store} (each call atomic on its own) and
 * {@link Transaction} (calls inside one isolated unit). Every method is the Redis command of
 * the same name, with the same semantics; keys and values are {@code byte[]} with
 * {@code String} (UTF-8) overloads. Error replies are thrown as {@link JkevyException}s.
 */
public abstract class Commands {
    /** Runs one command and returns its reply (RESP2 shapes); error replies are thrown. */
    protected abstract RespValue call(byte[][] argv);

    // ---- any command ---------------------------------------------------------------------

    /** Runs any command; the reply is typed ({@link RespValue}), errors are thrown. */
    public RespValue execute(byte[]... argv) { return call(argv); }

    public RespValue execute(String... argv) { return call(bytes(argv)); }

    // ---- conversions -----------------------------------------------------------------------

    /** The reply in {@code buf} as a value; an error reply is thrown as its {@link JkevyException}. */
    static RespValue reply(io.jkevy.resp.RespReplyParser parser, io.netty.buffer.ByteBuf buf) {
        RespValue v = parser.parse(buf);
        if (v instanceof RespValue.Error e) throw JkevyException.of(e.message());
        return v;
    }

    static byte[] b(String s) { return s.getBytes(StandardCharsets.UTF_8); }

    static String s(byte[] b) { return b == null ? null : new String(b, StandardCharsets.UTF_8); }

    static byte[][] bytes(String... a) {
        byte[][] out = new byte[a.length][];
        for (int i = 0; i < a.length; i++) out[i] = b(a[i]);
        return out;
    }

    static byte[][] argv(Object... parts) {
        List<byte[]> out = new ArrayList<>();
        for (Object p : parts) {
            if (p instanceof byte[] x) out.add(x);
            else if (p instanceof String x) out.add(b(x));
            else if (p instanceof byte[][] xs) for (byte[] x : xs) out.add(x);
            else if (p instanceof String[] xs) for (String x : xs) out.add(b(x));
            else out.add(b(String.valueOf(p)));
        }
        return out.toArray(new byte[0][]);
    }

    static long integer(RespValue v) {
        if (v instanceof RespValue.Integer i) return i.value();
        throw new JkevyException("ERR unexpected reply " + v);
    }

    static byte[] bulk(RespValue v) {
        if (v instanceof RespValue.Bulk bk) return bk.value();
        if (v instanceof RespValue.Null) return null;
        if (v instanceof RespValue.SimpleString st) return b(st.value());
        throw new JkevyException("ERR unexpected reply " + v);
    }

    static List<RespValue> array(RespValue v) {
        if (v instanceof RespValue.Array a) return a.elements() == null ? List.of() : a.elements();
        if (v instanceof RespValue.Null) return List.of();
        throw new JkevyException("ERR unexpected reply " + v);
    }

    static boolean isNil(RespValue v) {
        return v instanceof RespValue.Null || v instanceof RespValue.Bulk b && b.value() == null
                || v instanceof RespValue.Array a && a.elements() == null;
    }

    static List<byte[]> bulks(RespValue v) {
        List<byte[]> out = new ArrayList<>();
        for (RespValue e : array(v)) out.add(bulk(e));
        return out;
    }

    static List<String> strings(RespValue v) {
        List<String> out = new ArrayList<>();
        for (RespValue e : array(v)) out.add(s(bulk(e)));
        return out;
    }

    static Double dbl(RespValue v) {
        byte[] x = bulk(v);
        return x == null ? null : Double.valueOf(s(x).replace("inf", "Infinity"));
    }

    // ---- keys ----------------------------------------------------------------------------

    public long del(byte[]... keys) { return integer(call(argv("DEL", keys))); }

    public long del(String... keys) { return del(bytes(keys)); }

    public boolean exists(byte[] key) { return integer(call(argv("EXISTS", key))) == 1; }

    public boolean exists(String key) { return exists(b(key)); }

    public boolean expire(byte[] key, Duration ttl) { return integer(call(argv("PEXPIRE", key, ttl.toMillis()))) == 1; }

    public boolean expire(String key, Duration ttl) { return expire(b(key), ttl); }

    /** Remaining time to live in milliseconds; -1 without a TTL, -2 when absent (as PTTL). */
    public long pttl(byte[] key) { return integer(call(argv("PTTL", key))); }

    public long pttl(String key) { return pttl(b(key)); }

    public boolean persist(String key) { return integer(call(argv("PERSIST", key))) == 1; }

    public String type(String key) { return s(bulk(call(argv("TYPE", key)))); }

    public boolean rename(String key, String newKey) { call(argv("RENAME", key, newKey)); return true; }

    public long dbSize() { return integer(call(argv("DBSIZE"))); }

    public void flushAll() { call(argv("FLUSHALL")); }

    // ---- strings -------------------------------------------------------------------------

    public byte[] get(byte[] key) { return bulk(call(argv("GET", key))); }

    public String get(String key) { return s(get(b(key))); }

    public void set(byte[] key, byte[] value) { call(argv("SET", key, value)); }

    public void set(String key, String value) { set(b(key), b(value)); }

    public void set(byte[] key, byte[] value, Duration ttl) { call(argv("SET", key, value, "PX", ttl.toMillis())); }

    public void set(String key, String value, Duration ttl) { set(b(key), b(value), ttl); }

    /** SET NX: true when the key was absent and is now set. */
    public boolean setIfAbsent(byte[] key, byte[] value) { return !isNil(call(argv("SET", key, value, "NX"))); }

    public boolean setIfAbsent(String key, String value) { return setIfAbsent(b(key), b(value)); }

    public List<byte[]> mget(byte[]... keys) { return bulks(call(argv("MGET", keys))); }

    public List<String> mget(String... keys) { return strings(call(argv("MGET", keys))); }

    public long incr(String key) { return integer(call(argv("INCR", key))); }

    public long incrBy(String key, long by) { return integer(call(argv("INCRBY", key, by))); }

    public double incrByFloat(String key, double by) { return dbl(call(argv("INCRBYFLOAT", key, Double.toString(by)))); }

    public long append(String key, String value) { return integer(call(argv("APPEND", key, value))); }

    public long strlen(String key) { return integer(call(argv("STRLEN", key))); }

    // ---- hashes --------------------------------------------------------------------------

    public long hset(byte[] key, byte[] field, byte[] value) { return integer(call(argv("HSET", key, field, value))); }

    public long hset(String key, String field, String value) { return hset(b(key), b(field), b(value)); }

    public long hset(String key, Map<String, String> fields) {
        List<Object> a = new ArrayList<>(List.of("HSET", key));
        fields.forEach((f, v) -> { a.add(f); a.add(v); });
        return integer(call(argv(a.toArray())));
    }

    public byte[] hget(byte[] key, byte[] field) { return bulk(call(argv("HGET", key, field))); }

    public String hget(String key, String field) { return s(hget(b(key), b(field))); }

    public Map<String, String> hgetAll(String key) {
        List<String> kv = strings(call(argv("HGETALL", key)));
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i + 1 < kv.size(); i += 2) m.put(kv.get(i), kv.get(i + 1));
        return m;
    }

    public long hdel(String key, String... fields) { return integer(call(argv("HDEL", key, fields))); }

    public boolean hexists(String key, String field) { return integer(call(argv("HEXISTS", key, field))) == 1; }

    public long hlen(String key) { return integer(call(argv("HLEN", key))); }

    public long hincrBy(String key, String field, long by) { return integer(call(argv("HINCRBY", key, field, by))); }

    public List<String> hkeys(String key) { return strings(call(argv("HKEYS", key))); }

    // ---- lists ---------------------------------------------------------------------------

    public long lpush(String key, String... values) { return integer(call(argv("LPUSH", key, values))); }

    public long rpush(String key, String... values) { return integer(call(argv("RPUSH", key, values))); }

    public long rpush(byte[] key, byte[]... values) { return integer(call(argv("RPUSH", key, values))); }

    public String lpop(String key) { return s(bulk(call(argv("LPOP", key)))); }

    public String rpop(String key) { return s(bulk(call(argv("RPOP", key)))); }

    public List<String> lrange(String key, long start, long stop) { return strings(call(argv("LRANGE", key, start, stop))); }

    public long llen(String key) { return integer(call(argv("LLEN", key))); }

    public String lindex(String key, long index) { return s(bulk(call(argv("LINDEX", key, index)))); }

    /** BLPOP on one key: the popped value, or null when {@code timeout} passes first. */
    public String blpop(String key, Duration timeout) {
        List<String> r = strings(call(argv("BLPOP", key, String.format(java.util.Locale.ROOT, "%.3f", timeout.toMillis() / 1000.0))));
        return r.isEmpty() ? null : r.get(1);
    }

    // ---- sets ----------------------------------------------------------------------------

    public long sadd(String key, String... members) { return integer(call(argv("SADD", key, members))); }

    public long srem(String key, String... members) { return integer(call(argv("SREM", key, members))); }

    public Set<String> smembers(String key) { return new LinkedHashSet<>(strings(call(argv("SMEMBERS", key)))); }

    public boolean sismember(String key, String member) { return integer(call(argv("SISMEMBER", key, member))) == 1; }

    public long scard(String key) { return integer(call(argv("SCARD", key))); }

    // ---- sorted sets ---------------------------------------------------------------------

    /** A sorted-set member with its score. */
    public record ScoredMember(String member, double score) { }

    public long zadd(String key, double score, String member) { return integer(call(argv("ZADD", key, score(score), member))); }

    public long zadd(byte[] key, double score, byte[] member) { return integer(call(argv("ZADD", key, score(score), member))); }

    public Double zscore(String key, String member) { return dbl(call(argv("ZSCORE", key, member))); }

    public double zincrby(String key, double by, String member) { return dbl(call(argv("ZINCRBY", key, score(by), member))); }

    public long zrem(String key, String... members) { return integer(call(argv("ZREM", key, members))); }

    public long zcard(String key) { return integer(call(argv("ZCARD", key))); }

    public Long zrank(String key, String member) {
        RespValue v = call(argv("ZRANK", key, member));
        return isNil(v) ? null : integer(v);
    }

    public List<String> zrange(String key, long start, long stop) { return strings(call(argv("ZRANGE", key, start, stop))); }

    public List<ScoredMember> zrangeWithScores(String key, long start, long stop) {
        List<String> r = strings(call(argv("ZRANGE", key, start, stop, "WITHSCORES")));
        List<ScoredMember> out = new ArrayList<>();
        for (int i = 0; i + 1 < r.size(); i += 2) out.add(new ScoredMember(r.get(i), Double.parseDouble(r.get(i + 1).replace("inf", "Infinity"))));
        return out;
    }

    private static String score(double d) {
        if (d == Double.POSITIVE_INFINITY) return "+inf";
        if (d == Double.NEGATIVE_INFINITY) return "-inf";
        return Double.toString(d);
    }

    // ---- streams -------------------------------------------------------------------------

    /** A stream entry: its id and field/value pairs in order. */
    public record StreamEntry(String id, Map<String, String> fields) { }

    /** XADD key * field value ...: returns the id the entry got. */
    public String xadd(String key, Map<String, String> fields) {
        List<Object> a = new ArrayList<>(List.of("XADD", key, "*"));
        fields.forEach((f, v) -> { a.add(f); a.add(v); });
        return s(bulk(call(argv(a.toArray()))));
    }

    public long xlen(String key) { return integer(call(argv("XLEN", key))); }

    public List<StreamEntry> xrange(String key, String start, String end) {
        List<StreamEntry> out = new ArrayList<>();
        for (RespValue e : array(call(argv("XRANGE", key, start, end)))) {
            List<RespValue> pair = array(e);
            List<String> kv = strings(pair.get(1));
            Map<String, String> m = new LinkedHashMap<>();
            for (int i = 0; i + 1 < kv.size(); i += 2) m.put(kv.get(i), kv.get(i + 1));
            out.add(new StreamEntry(s(bulk(pair.get(0))), m));
        }
        return out;
    }

    // ---- HyperLogLog ---------------------------------------------------------------------

    public boolean pfadd(String key, String... elements) { return integer(call(argv("PFADD", key, elements))) == 1; }

    public long pfcount(String... keys) { return integer(call(argv("PFCOUNT", keys))); }
}
