package io.jkevy.engine.command.hll;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * PFSELFTEST: checks the six-bit register packing and that the sparse and dense encodings of
 * the same registers estimate the same cardinality, with the relative error within five
 * standard errors (1.04 / sqrt(16384) = 0.81% each) of the true count.
 */
public final class HllSelfTest {
    private HllSelfTest() { }

    /** Null on success, else a description of the first failure. */
    public static String run() {
        SplittableRandom rnd = new SplittableRandom(1);
        byte[] regs = new byte[Hll.DENSE_SIZE];
        int[] want = new int[Hll.REGISTERS];
        for (int round = 0; round < 100; round++) {
            for (int i = 0; i < Hll.REGISTERS; i++) {
                want[i] = rnd.nextInt(64);
                Hll.denseSet(regs, Hll.HDR, i, want[i]);
            }
            for (int i = 0; i < Hll.REGISTERS; i++) {
                int got = Hll.denseGet(regs, Hll.HDR, i);
                if (got != want[i]) return "TESTFAILED Register error at index " + i + ": " + got + " != " + want[i];
            }
        }
        Hll sparse = Hll.empty(), dense = Hll.empty();
        dense.toDense();
        double tolerance = 5 * 1.04 / Math.sqrt(Hll.REGISTERS);
        for (int n = 1; n <= 100_000; n++) {
            byte[] e = ("selftest:" + n).getBytes(StandardCharsets.US_ASCII);
            sparse.add(e, Integer.MAX_VALUE);
            dense.add(e, Integer.MAX_VALUE);
            if (n % 1000 != 0 && n > 100) continue;
            long a = sparse.count(), b = dense.count();
            if (a != b) return "TESTFAILED dense/sparse disagree: " + b + " != " + a;
            double err = Math.abs(b - n) / (double) n;
            if (n > 100 && err > tolerance) return "TESTFAILED too big error. card:" + n + " error:" + err;
        }
        return null;
    }
}
