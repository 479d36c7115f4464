package io.jkevy.engine.command;

import java.util.ArrayList;
import java.util.List;

/** ACL categories (Redis 7's set), as bits of {@code CommandSpec.aclCategories}. */
public enum AclCategory {
    KEYSPACE, READ, WRITE, SET, SORTEDSET, LIST, HASH, STRING, BITMAP, HYPERLOGLOG, GEO, STREAM,
    PUBSUB, ADMIN, FAST, SLOW, BLOCKING, DANGEROUS, CONNECTION, TRANSACTION, SCRIPTING;

    public long bit() { return 1L << ordinal(); }

    public String aclName() { return name().toLowerCase(java.util.Locale.ROOT); }

    public static long of(AclCategory... cs) {
        long b = 0;
        for (AclCategory c : cs) b |= c.bit();
        return b;
    }

    /** Parses space-separated category names, with or without '@' ("@read @string @fast"). */
    public static long parse(String names) {
        long b = 0;
        for (String n : names.trim().split("\\s+")) {
            if (n.isEmpty()) continue;
            b |= valueOf(n.replace("@", "").toUpperCase(java.util.Locale.ROOT)).bit();
        }
        return b;
    }

    public static List<String> names(long bits) {
        List<String> out = new ArrayList<>();
        for (AclCategory c : values()) if ((bits & c.bit()) != 0) out.add("@" + c.aclName());
        return out;
    }
}
