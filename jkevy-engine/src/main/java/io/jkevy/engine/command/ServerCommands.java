package io.jkevy.engine.command;

import io.jkevy.engine.Engine;
import io.jkevy.engine.command.server.Admin;
import io.jkevy.engine.command.server.CommandIntrospection;
import io.jkevy.engine.command.server.ConfigCommand;
import io.jkevy.engine.command.server.Debug;
import io.jkevy.engine.command.server.Info;
import io.jkevy.engine.config.StandardConfig;

/**
 * Server commands (Redis group "server"). Arity, flags, key positions, ACL categories and
 * versions are Redis 7.0's; {@code global} marks the whole-keyspace ones (every stripe lock).
 * Registering also adds the standard Redis configuration keys ({@link StandardConfig}) that
 * CONFIG GET/SET serve; keys another component registered first are left alone.
 */
public final class ServerCommands {
    private ServerCommands() { }

    public static void register(CommandTable t, Engine engine) {
        StandardConfig.register(engine);

        CommandSpec command = CommandTable.spec("command", -1, "loading stale", 0, 0, 0, "@slow @connection", "server", "2.8.13",
                "Returns detailed information about all commands.", CommandIntrospection::all);
        command.sub(CommandTable.spec("command|count", 2, "loading stale", 0, 0, 0, "@slow @connection", "server", "2.8.13",
                "Returns a count of commands.", CommandIntrospection::count));
        command.sub(CommandTable.spec("command|docs", -2, "loading stale", 0, 0, 0, "@slow @connection", "server", "7.0.0",
                "Returns documentary information about one, multiple or all commands.", CommandIntrospection::docs));
        command.sub(CommandTable.spec("command|getkeys", -3, "loading stale", 0, 0, 0, "@slow @connection", "server", "2.8.13",
                "Extracts the key names from an arbitrary command.", CommandIntrospection::getKeys));
        command.sub(CommandTable.spec("command|getkeysandflags", -3, "loading stale", 0, 0, 0, "@slow @connection", "server", "7.0.0",
                "Extracts the key names and access flags for an arbitrary command.", CommandIntrospection::getKeysAndFlags));
        command.sub(CommandTable.spec("command|help", 2, "loading stale", 0, 0, 0, "@slow @connection", "server", "5.0.0",
                "Returns helpful text about the different subcommands.", CommandIntrospection::help));
        command.sub(CommandTable.spec("command|info", -2, "loading stale", 0, 0, 0, "@slow @connection", "server", "2.8.13",
                "Returns information about one, multiple or all commands.", CommandIntrospection::info));
        command.sub(CommandTable.spec("command|list", -2, "loading stale", 0, 0, 0, "@slow @connection", "server", "7.0.0",
                "Returns a list of command names.", CommandIntrospection::list));
        t.add(command);

        CommandSpec config = CommandTable.spec("config", -2, "", 0, 0, 0, "@slow", "server", "2.0.0",
                "A container for server configuration commands.", null);
        config.sub(CommandTable.spec("config|get", -3, "admin noscript loading stale", 0, 0, 0, "@admin @slow @dangerous", "server", "2.0.0",
                "Returns the effective values of configuration parameters.", ConfigCommand::get));
        config.sub(CommandTable.spec("config|set", -4, "admin noscript loading stale", 0, 0, 0, "@admin @slow @dangerous", "server", "2.0.0",
                "Sets configuration parameters in-flight.", ConfigCommand::set));
        config.sub(CommandTable.spec("config|resetstat", 2, "admin noscript loading stale", 0, 0, 0, "@admin @slow @dangerous", "server", "2.0.0",
                "Resets the server's statistics.", ConfigCommand::resetStat));
        config.sub(CommandTable.spec("config|rewrite", 2, "admin noscript loading stale", 0, 0, 0, "@admin @slow @dangerous", "server", "2.8.0",
                "Persists the effective configuration to file.", ConfigCommand::rewrite));
        config.sub(CommandTable.spec("config|help", 2, "loading stale", 0, 0, 0, "@slow", "server", "5.0.0",
                "Returns helpful text about the different subcommands.", ConfigCommand::help));
        t.add(config);

        Info info = new Info(engine);
        t.add("info", -1, "loading stale", 0, 0, 0, "@slow @dangerous", "server", "1.0.0",
                "Returns information and statistics about the server.", info::run);
        t.add("time", 1, "loading stale fast", 0, 0, 0, "@fast", "server", "2.6.0",
                "Returns the server time.", Admin::time);
        t.add("lastsave", 1, "loading stale fast", 0, 0, 0, "@fast @admin @dangerous", "server", "1.0.0",
                "Returns the Unix timestamp of the last successful save to disk.", Admin::lastSave);
        t.add("dbsize", 1, "readonly fast global", 0, 0, 0, "@keyspace @read @fast", "server", "1.0.0",
                "Returns the number of keys in the database.", Admin::dbSize);
        t.add("flushdb", -1, "write global", 0, 0, 0, "@keyspace @write @slow @dangerous", "server", "1.0.0",
                "Removes all keys from the current database.", Admin::flushDb);
        t.add("flushall", -1, "write global", 0, 0, 0, "@keyspace @write @slow @dangerous", "server", "1.0.0",
                "Removes all keys from all databases.", Admin::flushAll);
        t.add("swapdb", 3, "write fast global", 0, 0, 0, "@keyspace @write @fast @dangerous", "server", "4.0.0",
                "Swaps two Redis databases.", Admin::swapDb);
        t.add("shutdown", -1, "admin noscript loading stale no_multi allow_busy", 0, 0, 0, "@admin @slow @dangerous", "server", "1.0.0",
                "Synchronously saves the database(s) to disk and shuts down the Redis server.", Admin::shutdown);
        io.jkevy.engine.command.server.MemoryCommand.register(t);
        t.add("debug", -2, "admin noscript loading stale global", 0, 0, 0, "@admin @slow @dangerous", "server", "1.0.0",
                "A container for debugging commands.", Debug::debug);
    }
}
