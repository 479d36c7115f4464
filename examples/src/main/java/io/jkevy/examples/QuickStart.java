package io.jkevy.examples;

import io.jkevy.embedded.Store;
import io.jkevy.embedded.StoreConfig;
import io.jkevy.journal.disk.FsyncPolicy;
import redis.clients.jedis.Jedis;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * A tour of the embedded store: a persistent store in a directory, the typed API, a
 * transaction, a Redis client over the in-process listener, and reopening the data.
 *
 * <pre>java -cp ... io.jkevy.examples.QuickStart [data-directory]</pre>
 */
public final class QuickStart {
    private QuickStart() { }

    public static void main(String[] args) throws Exception {
        Path dir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("jkevy-quickstart");
        run(dir, System.out);
    }

    static void run(Path dir, PrintStream out) {
        StoreConfig config = StoreConfig.builder().dataDir(dir).fsync(FsyncPolicy.ALWAYS).build();
        try (Store store = Store.open(config)) {
            store.set("greeting", "hello");
            store.set("session:42", "token", Duration.ofMinutes(30));
            store.hset("user:1", Map.of("name", "Ada", "lang", "java"));
            store.rpush("queue", "job-1", "job-2");
            store.zadd("scores", 42, "ada");
            long visits = store.atomically(tx -> {
                tx.incr("visits");
                return tx.incr("visits");
            });
            out.println("greeting=" + store.get("greeting") + " visits=" + visits
                    + " user=" + store.hget("user:1", "name") + " next-job=" + store.lpop("queue"));

            int port = store.listen(0);                   // any Redis client can connect now
            try (Jedis jedis = new Jedis("127.0.0.1", port)) {
                jedis.set("from-jedis", "hi");
                out.println("over RESP: zscore=" + jedis.zscore("scores", "ada") + " dbsize=" + jedis.dbSize());
            }
        }
        try (Store again = Store.open(config)) {         // the journal brings everything back
            out.println("after reopening: greeting=" + again.get("greeting") + " from-jedis=" + again.get("from-jedis")
                    + " visits=" + again.get("visits") + " keys=" + again.dbSize());
        }
    }
}
