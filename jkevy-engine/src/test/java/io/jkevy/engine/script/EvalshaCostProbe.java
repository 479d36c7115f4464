package io.jkevy.engine.script;

import io.jkevy.engine.EngineHarness;

/** A manual probe (not a test): microseconds per EVALSHA and per GET through the dispatcher. */
public final class EvalshaCostProbe {
    public static void main(String[] args) {
        EngineHarness h = new EngineHarness();
        h.call("SET", "k", "v");
        String sha = h.bulk("SCRIPT", "LOAD", "return redis.call('GET', KEYS[1])");
        for (int round = 0; round < 5; round++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < 200_000; i++) h.call("EVALSHA", sha, "1", "k");
            long t1 = System.nanoTime();
            for (int i = 0; i < 200_000; i++) h.call("GET", "k");
            long t2 = System.nanoTime();
            System.out.printf("evalsha %.2f us, get %.2f us%n", (t1 - t0) / 200_000 / 1000.0, (t2 - t1) / 200_000 / 1000.0);
        }
    }
}
