package io.jkevy.engine;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * In-process ZADD cost through the whole engine (not a test; surefire does not run it): what
 * redis-benchmark's ZADD does, random integer scores for random members of one 100k-member
 * sorted set, without the network.
 *
 * <pre>
 * java -cp "$(cat cp.txt):jkevy-engine/target/classes:jkevy-engine/target/test-classes" io.jkevy.engine.ZAddEngineBench [ops] [rounds]
 * </pre>
 */
public final class ZAddEngineBench {
    private ZAddEngineBench() { }

    public static void main(String[] args) {
        int ops = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        EngineHarness h = new EngineHarness();
        byte[] cmd = "ZADD".getBytes(StandardCharsets.US_ASCII), key = "myzset".getBytes(StandardCharsets.US_ASCII);
        byte[][] members = new byte[100_000][];
        for (int i = 0; i < members.length; i++) members[i] = String.format("element:%012d", i).getBytes(StandardCharsets.US_ASCII);
        SplittableRandom r = new SplittableRandom(7);
        for (byte[] m : members) h.call(cmd, key, Integer.toString(r.nextInt(100_000)).getBytes(StandardCharsets.US_ASCII), m);
        for (int round = 0; round < rounds; round++) {
            long t = System.nanoTime();
            for (int i = 0; i < ops; i++) {
                h.call(cmd, key, Integer.toString(r.nextInt(100_000)).getBytes(StandardCharsets.US_ASCII), members[r.nextInt(members.length)]);
            }
            System.out.printf("round %d: %.0f ns per ZADD%n", round, (System.nanoTime() - t) / (double) ops);
        }
    }
}
