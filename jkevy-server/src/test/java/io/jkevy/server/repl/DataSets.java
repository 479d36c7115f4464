package io.jkevy.server.repl;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.params.XAddParams;
import redis.clients.jedis.params.XReadGroupParams;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

/** Writes keys of every data type (small and large encodings) into several databases. */
final class DataSets {
    private DataSets() { }

    static final int[] DBS = {0, 1, 5, 15};

    /**
     * About {@code n} keys per database of {@link #DBS}: strings (plain, integer, binary, with
     * long TTLs), hashes, lists, sets (integers and strings), sorted sets, streams with a
     * consumer group, HyperLogLogs; a few of each are large enough for the non-compact
     * encodings. Leaves the connection on database 0.
     */
    static void fillEveryType(Jedis j, Random r, String prefix, int n) {
        try {
            for (int db : DBS) {
                j.select(db);
                for (int i = 0; i < n; i++) writeOne(j, r, prefix + db + ":" + i, i, i % 10 == 0 ? 300 : 8);
            }
        } finally {
            j.select(0);
        }
    }

    /** One key of type {@code i % 9} with {@code size} elements. */
    static void writeOne(Jedis j, Random r, String key, int i, int size) {
        switch (i % 9) {
            case 0 -> j.set(key, "v" + r.nextLong());
            case 1 -> j.set(key, Long.toString(r.nextInt(1_000_000)), SetParams.setParams().px(600_000 + r.nextInt(600_000)));
            case 2 -> {
                byte[] v = new byte[1 + r.nextInt(3000)];
                r.nextBytes(v);
                byte[] k = (key + ":\u0000\u00ff").getBytes(StandardCharsets.ISO_8859_1);
                j.set(k, v);
                j.pexpire(k, 900_000L + r.nextInt(100_000));
            }
            case 3 -> {
                Map<String, String> h = new HashMap<>();
                for (int f = 0; f < size; f++) h.put("f" + f, "x" + r.nextInt(1000));
                j.hset(key, h);
            }
            case 4 -> {
                String[] items = new String[size];
                for (int e = 0; e < size; e++) items[e] = "e" + r.nextInt(100_000);
                j.rpush(key, items);
                j.lpush(key, "head");
            }
            case 5 -> {
                String[] ints = new String[size];
                for (int e = 0; e < size; e++) ints[e] = Integer.toString(r.nextInt(1_000_000));
                j.sadd(key, ints);
                if (i % 2 == 1 || size > 100) j.sadd(key, "str" + r.nextInt(1000));
            }
            case 6 -> {
                Map<String, Double> z = new HashMap<>();
                for (int e = 0; e < size; e++) z.put("m" + e, r.nextInt(1000) / 7.0);
                j.zadd(key, z);
            }
            case 7 -> {
                for (int e = 0; e < Math.min(size, 40); e++) {
                    j.xadd(key, XAddParams.xAddParams().id(new StreamEntryID(1_000 + e, i)), Map.of("a", "" + e, "b", "y" + r.nextInt(99)));
                }
                j.xgroupCreate(key, "g", new StreamEntryID(0, 0), false);
                // a consumer with pending entries (its delivery time is part of the stream)
                j.xreadGroup("g", "c" + (i % 3), XReadGroupParams.xReadGroupParams().count(2),
                        Map.of(key, StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY));
            }
            default -> {
                String[] els = new String[size * 4];
                for (int e = 0; e < els.length; e++) els[e] = "u" + r.nextInt(1_000_000);
                j.pfadd(key, els);
            }
        }
    }
}
