package io.jkevy.server;

import io.jkevy.engine.Engine;
import io.jkevy.engine.config.Config;
import io.jkevy.engine.config.ConfigException;
import io.jkevy.store.Clock;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code jkevy server}: reads the TOML file (if any), then the command line on top of it,
 * starts the server and waits for SHUTDOWN or SIGTERM.
 */
@Command(name = "jkevy server", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Starts the jkevy server: a Redis-compatible key-value server.",
        footer = {"", "Any other config key can be given as --<key> <value> (e.g. --maxclients 100),",
                "or in the TOML file given with --config (top-level keys with Redis's names)."})
public final class Main implements Callable<Integer> {
    @Option(names = "--port", description = "TCP port (default 6379; 0 = any free port)")
    Integer port;

    @Option(names = "--bind", description = "addresses to listen on, space separated (default \"127.0.0.1 -::1\")")
    String bind;

    @Option(names = "--dir", description = "data directory (default ./data)")
    String dir;

    @Option(names = "--config", description = "TOML config file")
    Path config;

    @Option(names = "--threads", description = "event-loop threads (default: number of cores)")
    Integer threads;

    @Option(names = "--loglevel", description = "debug, verbose, notice (default) or warning")
    String loglevel;

    @Unmatched
    List<String> extra;

    static final class Version implements CommandLine.IVersionProvider {
        @Override public String[] getVersion() {
            return new String[] {"jkevy " + Engine.VERSION + " (Redis " + Engine.REDIS_VERSION + " compatible)"};
        }
    }

    public static void main(String[] args) {
        int rc = new CommandLine(new Main()).execute(args);
        if (rc != 0) System.exit(rc);
    }

    @Override
    public Integer call() throws Exception {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("port", "6379");
        settings.put("bind", "127.0.0.1 -::1");
        settings.put("dir", "./data");
        settings.put("threads", Integer.toString(Runtime.getRuntime().availableProcessors()));
        settings.put("loglevel", "notice");
        String source = "defaults";
        if (config != null) {
            if (!Files.isReadable(config)) {
                System.err.println("jkevy: cannot read config file " + config);
                return 2;
            }
            settings.putAll(Settings.fromToml(config));
            source = "file " + config.toAbsolutePath();
        }
        if (extra != null) {
            for (int i = 0; i < extra.size(); i++) {
                String k = extra.get(i);
                if (!k.startsWith("--") || i + 1 >= extra.size()) {
                    System.err.println("jkevy: unexpected argument '" + k + "' (options are --<key> <value>; see --help)");
                    return 2;
                }
                settings.put(k.substring(2).toLowerCase(Locale.ROOT), extra.get(++i));
            }
        }
        if (port != null) settings.put("port", port.toString());
        if (bind != null) settings.put("bind", bind);
        if (dir != null) settings.put("dir", dir);
        if (threads != null) settings.put("threads", threads.toString());
        if (loglevel != null) settings.put("loglevel", loglevel);
        configureLogging(settings.get("loglevel"), settings.get("logfile"));

        Path dataDir = Path.of(settings.get("dir"));
        Files.createDirectories(dataDir);

        Engine engine;
        try {
            engine = Engine.create(settings, Clock.SYSTEM, Main::registerServerKeys);
        } catch (ConfigException e) {
            System.err.println("jkevy: bad configuration: " + e.getMessage());
            return 2;
        }
        int p = Integer.parseInt(engine.config().get("port"));
        int t = Integer.parseInt(engine.config().get("threads"));
        JkevyServer server = new JkevyServer(engine, engine.config().get("bind"), p, t, source);
        // SIGTERM/SIGINT stop the server like SHUTDOWN and exit 0, as redis-server does; installed
        // before the start line is printed, so a signal right after it is handled too. The
        // shutdown hook covers other ways the JVM may be asked to exit.
        installSignalHandlers(server);
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "jkevy-exit"));
        try {
            server.start();
        } catch (IllegalStateException e) {
            System.err.println("jkevy: " + e.getMessage());
            return 1;
        }
        if (engine.config().get("appendonly").equals("yes")) {
            Path jdir = dataDir.resolve(engine.config().get("appenddirname"));
            engine.loading(true);
            server.onStop(() -> {
                io.jkevy.engine.persist.Durability d = engine.durability();
                if (d == null) return;
                try {
                    d.close();
                    org.slf4j.LoggerFactory.getLogger(Main.class).info("journal closed cleanly at offset {}", engine.journal().nextOffset() - 1);
                } catch (java.io.IOException e) {
                    org.slf4j.LoggerFactory.getLogger(Main.class).error("closing the journal failed: {}", e.getMessage());
                }
            });
            try {
                io.jkevy.engine.persist.Durability.open(engine, jdir, new io.jkevy.engine.persist.Durability.Options(
                        io.jkevy.journal.disk.FsyncPolicy.parse(engine.config().get("appendfsync")),
                        engine.config().get("aof-load-truncated").equals("yes"),
                        engine.config().get("aof-load-truncate-corrupt").equals("yes"),
                        Long.parseLong(engine.config().get("aof-segment-size"))));
            } catch (java.io.IOException | RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(Main.class).error("cannot load the journal: {}", e.getMessage());
                System.err.println("jkevy: cannot load the journal: " + e.getMessage());
                server.stop();
                return 1;
            } finally {
                engine.loading(false);
            }
        }
        try {
            server.startReplication(dataDir);
        } catch (IllegalStateException e) {
            System.err.println("jkevy: " + e.getMessage());
            server.stop();
            return 1;
        }
        engine.started(true);
        server.awaitStop();
        return 0;
    }

    @SuppressWarnings("restriction")
    private static void installSignalHandlers(JkevyServer server) {
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), sig -> {
                    org.slf4j.LoggerFactory.getLogger(Main.class).info("received SIG{}, shutting down", name);
                    new Thread(() -> {
                        server.stop();
                        System.exit(0);
                    }, "jkevy-sig" + name.toLowerCase(Locale.ROOT)).start();
                });
            } catch (IllegalArgumentException e) {
                // signal not available on this platform: the shutdown hook still stops cleanly
            }
        }
    }

    /** Keys only the process has: where to listen and log. Skipped when the engine already has them. */
    static void registerServerKeys(Config c) {
        if (c.entry("port") == null) c.intEntry("port", 6379, 0, 65535);
        if (c.entry("bind") == null) c.stringEntry("bind", "127.0.0.1 -::1", false, v -> { });
        if (c.entry("dir") == null) c.stringEntry("dir", "./data", false, v -> { });
        if (c.entry("threads") == null) c.intEntry("threads", Runtime.getRuntime().availableProcessors(), 1, 256);
        if (c.entry("loglevel") == null) c.stringEntry("loglevel", "notice", true, v -> { });
        if (c.entry("logfile") == null) c.stringEntry("logfile", "", false, v -> { });
        Tls.registerKeys(c);
        io.jkevy.server.repl.Replication.registerKeys(c);
    }

    /** slf4j-simple reads its settings once, before the first logger: set them first. */
    static void configureLogging(String level, String file) {
        String l = switch (level == null ? "notice" : level.toLowerCase(Locale.ROOT)) {
            case "debug" -> "debug";
            case "verbose" -> "debug";
            case "warning" -> "warn";
            case "nothing" -> "off";
            default -> "info";
        };
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", l);
        System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
        System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "dd MMM yyyy HH:mm:ss.SSS");
        System.setProperty("org.slf4j.simpleLogger.showShortLogName", "true");
        System.setProperty("org.slf4j.simpleLogger.log.io.netty", "warn");
        if (file != null && !file.isEmpty()) System.setProperty("org.slf4j.simpleLogger.logFile", file);
    }
}
