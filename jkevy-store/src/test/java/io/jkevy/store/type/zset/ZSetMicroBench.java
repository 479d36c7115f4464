package io.jkevy.store.type.zset;

import io.jkevy.store.Encodings;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * In-process microbenchmark of the large sorted-set encoding (not a test; surefire does not run
 * it). What redis-benchmark's ZADD does to one sorted set: update random members of a 100k-member
 * set with random scores. Also times ZRANK-like and ZRANGEBYSCORE-like reads.
 *
 * <pre>
 * java -cp jkevy-store/target/classes:jkevy-store/target/test-classes io.jkevy.store.type.zset.ZSetMicroBench [members] [updates] [rounds]
 * </pre>
 */
public final class ZSetMicroBench {
    private ZSetMicroBench() { }

    public static void main(String[] args) {
        int members = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int updates = args.length > 1 ? Integer.parseInt(args[1]) : 6_000_000;
        Encodings enc = new Encodings();
        byte[][] names = new byte[members][];
        for (int i = 0; i < members; i++) names[i] = ("element:" + i).getBytes(StandardCharsets.US_ASCII);
        SplittableRandom r = new SplittableRandom(42);
        ZSetValue z = ZSetValue.skiplist();
        long t0 = System.nanoTime();
        for (int i = 0; i < members; i++) z.put(names[i], r.nextInt(1_000_000), enc);
        long t1 = System.nanoTime();
        System.out.printf("load %d members: %.0f ns/op%n", members, (t1 - t0) / (double) members);
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        for (int round = 0; round < rounds; round++) {
            long a = System.nanoTime();
            for (int i = 0; i < updates; i++) z.put(names[r.nextInt(members)], r.nextInt(1_000_000), enc);
            long b = System.nanoTime();
            long sink = 0;
            int reads = updates / 4;
            for (int i = 0; i < reads; i++) sink += z.rank(names[r.nextInt(members)]);
            long c = System.nanoTime();
            for (int i = 0; i < reads; i++) {
                int from = z.firstRankByScore(r.nextInt(1_000_000), false);
                for (ZSetValue.Cursor k = z.cursor(from, false); k.valid() && sink >= 0; k.next()) {
                    sink += k.member().length;
                    if (++from % 10 == 0) break;
                }
            }
            long d = System.nanoTime();
            System.out.flush();
            System.out.printf("round %d: put(update) %.0f ns/op, rank %.0f ns/op, rangebyscore(10) %.0f ns/op  (%d)%n", round,
                    (b - a) / (double) updates, (c - b) / (double) reads, (d - c) / (double) reads, sink % 10);
        }
    }
}
