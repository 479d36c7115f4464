package io.jkevy.engine.command;

import io.jkevy.engine.command.server.Digest;
import io.jkevy.engine.command.zset.ZBasic;
import io.jkevy.engine.command.zset.ZDump;
import io.jkevy.engine.command.zset.ZPop;
import io.jkevy.engine.command.zset.ZRange;
import io.jkevy.engine.command.zset.ZSetOps;
import io.jkevy.store.type.zset.ZSetValue;

/**
 * Sorted-set commands (Redis group "sorted_set"), except the blocking BZPOPMIN, BZPOPMAX and
 * BZMPOP (they can build on {@link ZPop#pop}). Handlers live in {@code command.zset}.
 */
public final class SortedSetCommands {
    private SortedSetCommands() { }

    private static final String G = "sorted_set";

    public static void register(CommandTable t) {
        t.add("zadd", -4, "write denyoom fast", 1, 1, 1, "@write @sortedset @fast", G, "1.2.0",
                "Add one or more members to a sorted set, or update its score if it already exists", ZBasic::zadd);
        t.add("zincrby", 4, "write denyoom fast", 1, 1, 1, "@write @sortedset @fast", G, "1.2.0",
                "Increment the score of a member in a sorted set", ZBasic::zincrby);
        t.add("zrem", -3, "write fast", 1, 1, 1, "@write @sortedset @fast", G, "1.2.0",
                "Remove one or more members from a sorted set", ZBasic::zrem);
        t.add("zcard", 2, "readonly fast", 1, 1, 1, "@read @sortedset @fast", G, "1.2.0",
                "Get the number of members in a sorted set", ZBasic::zcard);
        t.add("zscore", 3, "readonly fast", 1, 1, 1, "@read @sortedset @fast", G, "1.2.0",
                "Get the score associated with the given member in a sorted set", ZBasic::zscore);
        t.add("zmscore", -3, "readonly fast", 1, 1, 1, "@read @sortedset @fast", G, "6.2.0",
                "Get the score associated with the given members in a sorted set", ZBasic::zmscore);
        // arity -3 admits the optional WITHSCORE argument (a Redis 7.2 addition; 7.0 has arity 3)
        t.add("zrank", -3, "readonly fast", 1, 1, 1, "@read @sortedset @fast", G, "2.0.0",
                "Determine the index of a member in a sorted set", ZBasic::zrank);
        t.add("zrevrank", -3, "readonly fast", 1, 1, 1, "@read @sortedset @fast", G, "2.0.0",
                "Determine the index of a member in a sorted set, with scores ordered from high to low", ZBasic::zrevrank);
        t.add("zcount", 4, "readonly fast", 1, 1, 1, "@read @sortedset @fast", G, "2.0.0",
                "Count the members in a sorted set with scores within the given values", ZBasic::zcount);
        t.add("zlexcount", 4, "readonly fast", 1, 1, 1, "@read @sortedset @fast", G, "2.8.9",
                "Count the number of members in a sorted set between a given lexicographical range", ZBasic::zlexcount);

        t.add("zrange", -4, "readonly", 1, 1, 1, "@read @sortedset @slow", G, "1.2.0",
                "Return a range of members in a sorted set", ZRange::zrange);
        t.add("zrangestore", -5, "write denyoom", 1, 2, 1, "@write @sortedset @slow", G, "6.2.0",
                "Store a range of members from sorted set into another key", ZRange::zrangestore);
        t.add("zrevrange", -4, "readonly", 1, 1, 1, "@read @sortedset @slow", G, "1.2.0",
                "Return a range of members in a sorted set, by index, with scores ordered from high to low", ZRange::zrevrange);
        t.add("zrangebyscore", -4, "readonly", 1, 1, 1, "@read @sortedset @slow", G, "1.0.5",
                "Return a range of members in a sorted set, by score", ZRange::zrangebyscore);
        t.add("zrevrangebyscore", -4, "readonly", 1, 1, 1, "@read @sortedset @slow", G, "2.2.0",
                "Return a range of members in a sorted set, by score, with scores ordered from high to low", ZRange::zrevrangebyscore);
        t.add("zrangebylex", -4, "readonly", 1, 1, 1, "@read @sortedset @slow", G, "2.8.9",
                "Return a range of members in a sorted set, by lexicographical range", ZRange::zrangebylex);
        t.add("zrevrangebylex", -4, "readonly", 1, 1, 1, "@read @sortedset @slow", G, "2.8.9",
                "Return a range of members in a sorted set, by lexicographical range, ordered from higher to lower strings.", ZRange::zrevrangebylex);
        t.add("zremrangebyrank", 4, "write", 1, 1, 1, "@write @sortedset @slow", G, "2.0.0",
                "Remove all members in a sorted set within the given indexes", ZRange::zremrangebyrank);
        t.add("zremrangebyscore", 4, "write", 1, 1, 1, "@write @sortedset @slow", G, "1.2.0",
                "Remove all members in a sorted set within the given scores", ZRange::zremrangebyscore);
        t.add("zremrangebylex", 4, "write", 1, 1, 1, "@write @sortedset @slow", G, "2.8.9",
                "Remove all members in a sorted set between the given lexicographical range", ZRange::zremrangebylex);

        t.add("zpopmin", -2, "write fast", 1, 1, 1, "@write @sortedset @fast", G, "5.0.0",
                "Remove and return members with the lowest scores in a sorted set", ZPop::zpopmin);
        t.add("zpopmax", -2, "write fast", 1, 1, 1, "@write @sortedset @fast", G, "5.0.0",
                "Remove and return members with the highest scores in a sorted set", ZPop::zpopmax);
        t.add("zmpop", -4, "write movablekeys", 0, 0, 0, "@write @sortedset @slow", G, "7.0.0",
                "Remove and return members with scores in a sorted set", ZPop::zmpop);
        t.add("bzpopmin", -3, "write blocking fast", 1, -2, 1, "@write @sortedset @fast @blocking", G, "5.0.0",
                "Remove and return the member with the lowest score from one or more sorted sets, or block until one is available",
                ZPop::bzpopmin);
        t.add("bzpopmax", -3, "write blocking fast", 1, -2, 1, "@write @sortedset @fast @blocking", G, "5.0.0",
                "Remove and return the member with the highest score from one or more sorted sets, or block until one is available",
                ZPop::bzpopmax);
        t.add("bzmpop", -5, "write blocking movablekeys", 0, 0, 0, "@write @sortedset @slow @blocking", G, "7.0.0",
                "Remove and return members with scores in a sorted set or block until one is available", ZPop::bzmpop);
        t.add("zrandmember", -2, "readonly", 1, 1, 1, "@read @sortedset @slow", G, "6.2.0",
                "Get one or multiple random elements from a sorted set", ZPop::zrandmember);
        t.add("zscan", -3, "readonly", 1, 1, 1, "@read @sortedset @slow", G, "2.8.0",
                "Incrementally iterate sorted sets elements and associated scores", ZPop::zscan);

        t.add("zunion", -3, "readonly movablekeys", 0, 0, 0, "@read @sortedset @slow", G, "6.2.0",
                "Add multiple sorted sets", ZSetOps::zunion);
        t.add("zinter", -3, "readonly movablekeys", 0, 0, 0, "@read @sortedset @slow", G, "6.2.0",
                "Intersect multiple sorted sets", ZSetOps::zinter);
        t.add("zdiff", -3, "readonly movablekeys", 0, 0, 0, "@read @sortedset @slow", G, "6.2.0",
                "Subtract multiple sorted sets", ZSetOps::zdiff);
        t.add("zintercard", -3, "readonly movablekeys", 0, 0, 0, "@read @sortedset @slow", G, "7.0.0",
                "Intersect multiple sorted sets and return the cardinality of the result", ZSetOps::zintercard);
        t.add("zunionstore", -4, "write denyoom movablekeys", 1, 1, 1, "@write @sortedset @slow", G, "2.0.0",
                "Add multiple sorted sets and store the resulting sorted set in a new key", ZSetOps::zunionstore);
        t.add("zinterstore", -4, "write denyoom movablekeys", 1, 1, 1, "@write @sortedset @slow", G, "2.0.0",
                "Intersect multiple sorted sets and store the resulting sorted set in a new key", ZSetOps::zinterstore);
        t.add("zdiffstore", -4, "write denyoom movablekeys", 1, 1, 1, "@write @sortedset @slow", G, "6.2.0",
                "Subtract multiple sorted sets and store the resulting sorted set in a new key", ZSetOps::zdiffstore);

        ZDump.register();

        // ordered: the same members with the same scores in the same order digest equally
        Digest.register(ZSetValue.class, (v, md) -> {
            ZSetValue z = (ZSetValue) v;
            Digest.putInt(md, z.size());
            for (ZSetValue.Cursor c = z.cursor(0, false); c.valid(); c.next()) {
                Digest.putInt(md, c.member().length);
                md.update(c.member());
                Digest.putLong(md, Double.doubleToLongBits(c.score()));
            }
        });
    }
}
