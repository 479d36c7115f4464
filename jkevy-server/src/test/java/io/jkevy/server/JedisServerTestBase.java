package io.jkevy.server;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import redis.clients.jedis.Jedis;

/** One in-process server per test class and a fresh Jedis connection on an empty dataset per test. */
abstract class JedisServerTestBase {
    static TestServer server;
    Jedis jedis;

    @BeforeAll
    static void start() { server = new TestServer(); }

    @AfterAll
    static void stop() { server.close(); }

    @BeforeEach
    void connect() {
        jedis = new Jedis(server.host(), server.port());
        jedis.flushAll();
    }

    @AfterEach
    void disconnect() { jedis.close(); }
}
