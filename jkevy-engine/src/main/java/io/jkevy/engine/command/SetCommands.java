package io.jkevy.engine.command;

import io.jkevy.engine.command.set.SetAlgebra;
import io.jkevy.engine.command.set.SetBasic;
import io.jkevy.engine.command.set.SetRandom;
import io.jkevy.engine.command.set.SetDigest;

/** Set commands (Redis group "set"); the handlers live in {@code command.set}. */
public final class SetCommands {
    private SetCommands() { }

    public static void register(CommandTable t) {
        t.add("sadd", -3, "write denyoom fast", 1, 1, 1, "@write @set @fast", "set", "1.0.0",
                "Adds one or more members to a set. Creates the key if it doesn't exist.", SetBasic::sadd);
        t.add("srem", -3, "write fast", 1, 1, 1, "@write @set @fast", "set", "1.0.0",
                "Removes one or more members from a set. Deletes the set if the last member was removed.", SetBasic::srem);
        t.add("smembers", 2, "readonly", 1, 1, 1, "@read @set @slow", "set", "1.0.0",
                "Returns all members of a set.", SetBasic::smembers);
        t.add("sismember", 3, "readonly fast", 1, 1, 1, "@read @set @fast", "set", "1.0.0",
                "Determines whether a member belongs to a set.", SetBasic::sismember);
        t.add("smismember", -3, "readonly fast", 1, 1, 1, "@read @set @fast", "set", "6.2.0",
                "Determines whether multiple members belong to a set.", SetBasic::smismember);
        t.add("scard", 2, "readonly fast", 1, 1, 1, "@read @set @fast", "set", "1.0.0",
                "Returns the number of members in a set.", SetBasic::scard);
        t.add("smove", 4, "write fast", 1, 2, 1, "@write @set @fast", "set", "1.0.0",
                "Moves a member from one set to another.", SetBasic::smove);
        t.add("sscan", -3, "readonly", 1, 1, 1, "@read @set @slow", "set", "2.8.0",
                "Iterates over members of a set.", SetBasic::sscan);
        t.add("spop", -2, "write fast", 1, 1, 1, "@write @set @fast", "set", "1.0.0",
                "Returns one or more random members from a set after removing them. Deletes the set if the last member was popped.",
                SetRandom::spop);
        t.add("srandmember", -2, "readonly", 1, 1, 1, "@read @set @slow", "set", "1.0.0",
                "Get one or multiple random members from a set", SetRandom::srandmember);
        t.add("sinter", -2, "readonly", 1, -1, 1, "@read @set @slow", "set", "1.0.0",
                "Returns the intersect of multiple sets.", SetAlgebra::sinter);
        t.add("sintercard", -3, "readonly movablekeys", 0, 0, 0, "@read @set @slow", "set", "7.0.0",
                "Returns the number of members of the intersect of multiple sets.", SetAlgebra::sintercard);
        t.add("sinterstore", -3, "write denyoom", 1, -1, 1, "@write @set @slow", "set", "1.0.0",
                "Stores the intersect of multiple sets in a key.", SetAlgebra::sinterstore);
        t.add("sunion", -2, "readonly", 1, -1, 1, "@read @set @slow", "set", "1.0.0",
                "Returns the union of multiple sets.", SetAlgebra::sunion);
        t.add("sunionstore", -3, "write denyoom", 1, -1, 1, "@write @set @slow", "set", "1.0.0",
                "Stores the union of multiple sets in a key.", SetAlgebra::sunionstore);
        t.add("sdiff", -2, "readonly", 1, -1, 1, "@read @set @slow", "set", "1.0.0",
                "Returns the difference of multiple sets.", SetAlgebra::sdiff);
        t.add("sdiffstore", -3, "write denyoom", 1, -1, 1, "@write @set @slow", "set", "1.0.0",
                "Stores the difference of multiple sets in a key.", SetAlgebra::sdiffstore);
        SetDigest.register();
        io.jkevy.engine.command.set.SetRdb.register();
    }
}
