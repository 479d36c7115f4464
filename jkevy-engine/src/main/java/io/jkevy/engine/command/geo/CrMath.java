package io.jkevy.engine.command.geo;

/**
 * Correctly rounded sin, cos and asin (the double nearest the exact value, as glibc's
 * libm returns them), so that distances match Redis to the last bit: STOREDIST scores are
 * replied with 17 significant digits, where Java's Math/StrictMath (up to 1 ulp off) show.
 *
 * <p>Method: double-double arithmetic (about 106 significant bits) and one final rounding;
 * the result can only be misrounded when the exact value lies within ~1e-30 (relative) of a
 * midpoint between doubles. Arguments of sin/cos are reduced by multiples of pi/2 with a
 * three-part pi/2, valid for |x| ≤ 8; larger arguments (only from absurd search radii)
 * fall back to StrictMath. Cost: about 30 double-double operations per call.
 */
final class CrMath {
    private CrMath() { }

    // pi/2 = P1 + P2 + P3 to ~160 bits
    private static final double P1 = 1.5707963267948966;
    private static final double P2 = 6.123233995736766e-17;
    private static final double P3 = -1.4973849048591698e-33;

    static double sin(double x) {
        if (!(Math.abs(x) <= 8)) return StrictMath.sin(x);
        if (x == 0) return x;
        return trig(x, 0);
    }

    static double cos(double x) {
        if (!(Math.abs(x) <= 8)) return StrictMath.cos(x);
        return trig(x, 1);
    }

    /** sin(x + shift * pi/2) for |x| ≤ 8. */
    private static double trig(double x, int shift) {
        double k = Math.rint(x / P1);
        // r = x - k*pi/2 in double-double; k*P1 is exact for |k| ≤ 5 (P1 has 53 bits, k ≤ 3 bits) only
        // approximately, so each product is split exactly with fma
        double[] r = twoSum(x, -k * P1);
        r[1] += -Math.fma(k, P1, -k * P1) - k * P2 - k * P3;
        double[] rr = fast(r[0], r[1]);
        int q = (int) (((long) k + shift) & 3);
        double[] v = (q & 1) == 0 ? sinSeries(rr) : cosSeries(rr);
        double res = v[0] + v[1];
        return q >= 2 ? -res : res;
    }

    /** sin(r) for |r| ≤ ~pi/4, as a double-double Taylor sum. */
    private static double[] sinSeries(double[] r) {
        double[] r2 = mul(r, r);
        double[] term = r;
        double[] sum = r;
        for (int n = 1; n < 40; n += 2) {
            term = div(mul(term, r2), -(double) ((n + 1) * (n + 2)));
            sum = add(sum, term);
            if (Math.abs(term[0]) < 1e-36 * Math.abs(sum[0])) break;
        }
        return sum;
    }

    /** cos(r) for |r| ≤ ~pi/4, as a double-double Taylor sum. */
    private static double[] cosSeries(double[] r) {
        double[] r2 = mul(r, r);
        double[] term = {1, 0};
        double[] sum = {1, 0};
        for (int n = 0; n < 40; n += 2) {
            term = div(mul(term, r2), -(double) ((n + 1) * (n + 2)));
            sum = add(sum, term);
            if (Math.abs(term[0]) < 1e-36) break;
        }
        return sum;
    }

    /** asin(y); exact value for y in [-1, 1], NaN outside. */
    static double asin(double y) {
        if (!(Math.abs(y) < 1) || y == 0) return StrictMath.asin(y);
        boolean neg = y < 0;
        y = Math.abs(y);
        double z0 = StrictMath.asin(y); // within 1 ulp
        double[] s = sinDd(z0), c = cosDd(z0);
        // Newton with the second-order (Halley-like) term on sin(z) = y around z0:
        // z = z0 + d + (tan(z0)/2) d^2, d = (y - sin z0) / cos z0
        double[] diff = add(new double[] {y, 0}, new double[] {-s[0], -s[1]});
        double d = (diff[0] + diff[1]) / (c[0] + c[1]);
        double corr = d + 0.5 * ((s[0] + s[1]) / (c[0] + c[1])) * d * d;
        double[] z = twoSum(z0, corr);
        double res = z[0] + z[1];
        return neg ? -res : res;
    }

    private static double[] sinDd(double x) {
        double k = Math.rint(x / P1);
        double[] r = twoSum(x, -k * P1);
        r[1] += -Math.fma(k, P1, -k * P1) - k * P2 - k * P3;
        double[] rr = fast(r[0], r[1]);
        int q = (int) (((long) k) & 3);
        double[] v = (q & 1) == 0 ? sinSeries(rr) : cosSeries(rr);
        return q >= 2 ? new double[] {-v[0], -v[1]} : v;
    }

    private static double[] cosDd(double x) {
        double k = Math.rint(x / P1);
        double[] r = twoSum(x, -k * P1);
        r[1] += -Math.fma(k, P1, -k * P1) - k * P2 - k * P3;
        double[] rr = fast(r[0], r[1]);
        int q = (int) (((long) k + 1) & 3);
        double[] v = (q & 1) == 0 ? sinSeries(rr) : cosSeries(rr);
        return q >= 2 ? new double[] {-v[0], -v[1]} : v;
    }

    // ---- double-double helpers: {hi, lo} with |lo| ≤ ulp(hi)/2 ------------------------------

    private static double[] twoSum(double a, double b) {
        double s = a + b;
        double bb = s - a;
        return new double[] {s, (a - (s - bb)) + (b - bb)};
    }

    private static double[] fast(double a, double b) {
        double s = a + b;
        return new double[] {s, b - (s - a)};
    }

    private static double[] add(double[] a, double[] b) {
        double[] s = twoSum(a[0], b[0]);
        double[] t = twoSum(a[1], b[1]);
        double[] u = fast(s[0], s[1] + t[0]);
        return fast(u[0], u[1] + t[1]);
    }

    private static double[] mul(double[] a, double[] b) {
        double p = a[0] * b[0];
        double e = Math.fma(a[0], b[0], -p);
        e += a[0] * b[1] + a[1] * b[0];
        return fast(p, e);
    }

    private static double[] div(double[] a, double d) {
        double q1 = a[0] / d;
        double p = q1 * d;
        double pe = Math.fma(q1, d, -p);
        double rem = ((a[0] - p) - pe + a[1]) / d;
        return fast(q1, rem);
    }
}
