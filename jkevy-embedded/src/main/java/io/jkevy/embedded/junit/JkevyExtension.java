package io.jkevy.embedded.junit;

import io.jkevy.embedded.Store;
import io.jkevy.embedded.StoreConfig;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.util.function.Supplier;

/**
 * A Redis-compatible server for tests, in-process, on a free loopback port: a drop-in for the
 * wrappers that download and launch a native redis binary. Test methods and constructors get
 * a {@link JkevyEndpoint} (host, port, store) or the {@link Store} itself as a parameter.
 *
 * <pre>{@code
 * @ExtendWith(JkevyExtension.class)            // one server per test class
 * class MyTest {
 *     @Test void works(JkevyEndpoint redis) {
 *         try (Jedis j = new Jedis(redis.host(), redis.port())) { ... }
 *     }
 * }
 *
 * class OtherTest {                            // a fresh server for every test
 *     @RegisterExtension static JkevyExtension redis = JkevyExtension.perTest();
 * }
 * }</pre>
 */
public final class JkevyExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(JkevyExtension.class);
    private static final String KEY = "endpoint";

    private final boolean perTest;
    private final Supplier<StoreConfig> config;

    /** One server per test class (what {@code @ExtendWith} gives). */
    public JkevyExtension() { this(false, StoreConfig::inMemory); }

    private JkevyExtension(boolean perTest, Supplier<StoreConfig> config) {
        this.perTest = perTest;
        this.config = config;
    }

    public static JkevyExtension perClass() { return new JkevyExtension(false, StoreConfig::inMemory); }

    public static JkevyExtension perTest() { return new JkevyExtension(true, StoreConfig::inMemory); }

    /** With a store configuration of your own (maxmemory, a data directory, ...). */
    public JkevyExtension withConfig(Supplier<StoreConfig> c) { return new JkevyExtension(perTest, c); }

    /** Endpoint of the running server, for fields set up in {@code @BeforeEach}. */
    private JkevyEndpoint current;

    public JkevyEndpoint endpoint() {
        if (current == null) throw new IllegalStateException("no jkevy server is running now");
        return current;
    }

    private static final class Running implements ExtensionContext.Store.CloseableResource {
        final Store store;
        final JkevyEndpoint endpoint;

        Running(StoreConfig c) {
            store = Store.open(c);
            int port = store.listen(0);
            endpoint = new JkevyEndpoint("127.0.0.1", port, store);
        }

        @Override public void close() { store.close(); }
    }

    private void start(ExtensionContext ctx) {
        Running r = new Running(config.get());
        ctx.getStore(NS).put(KEY, r);
        current = r.endpoint;
    }

    private void stop(ExtensionContext ctx) {
        Running r = ctx.getStore(NS).remove(KEY, Running.class);
        if (r != null) r.close();
        current = null;
    }

    @Override public void beforeAll(ExtensionContext ctx) { if (!perTest) start(ctx); }

    @Override public void afterAll(ExtensionContext ctx) { if (!perTest) stop(ctx); }

    @Override public void beforeEach(ExtensionContext ctx) { if (perTest) start(ctx); }

    @Override public void afterEach(ExtensionContext ctx) { if (perTest) stop(ctx); }

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext ctx) {
        Class<?> t = p.getParameter().getType();
        return t == JkevyEndpoint.class || t == Store.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext ctx) {
        Running r = find(ctx);
        if (r == null) throw new ParameterResolutionException("no jkevy server is running for " + ctx.getDisplayName());
        return p.getParameter().getType() == Store.class ? r.store : r.endpoint;
    }

    private static Running find(ExtensionContext ctx) {
        for (ExtensionContext c = ctx; c != null; c = c.getParent().orElse(null)) {
            Running r = c.getStore(NS).get(KEY, Running.class);
            if (r != null) return r;
        }
        return null;
    }
}
