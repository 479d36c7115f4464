package io.jkevy.engine.command.geo;

/**
 * Redis's geohash arithmetic. A position is stored as a sorted-set score holding a 52-bit
 * integer: 26 bits of latitude (over [-85.05112878, 85.05112878], the Web-Mercator limits)
 * interleaved with 26 bits of longitude (over [-180, 180]); latitude bits sit at the even
 * positions, longitude bits at the odd ones, so the top bit is the longitude's. A hash of
 * {@code step} bits per coordinate names a cell; every score inside that cell lies in
 * [cell << (52 - 2*step), (cell + 1) << (52 - 2*step)).
 *
 * <p>All arithmetic mirrors the C behaviour (unsigned 32-bit cell coordinates, uint64 hash
 * words, truncating double→integer conversions) so that replies match Redis bit for bit.
 */
public final class GeoHash {
    private GeoHash() { }

    public static final double LON_MIN = -180, LON_MAX = 180;
    public static final double LAT_MIN = -85.05112878, LAT_MAX = 85.05112878;
    public static final int STEP_MAX = 26;
    /** Earth radius in metres used by every distance. */
    public static final double EARTH_RADIUS = 6372797.560856;
    /** Half the Mercator world width in metres; the radius→step estimate doubles up to it. */
    static final double MERCATOR_MAX = 20037726.37;
    private static final double D_R = Math.PI / 180.0;

    /** {@code bits} is the interleaved hash, {@code step} its bits per coordinate. */
    public record Bits(long bits, int step) {
        boolean isZero() { return bits == 0 && step == 0; }
    }

    /** A cell's bounds in degrees. */
    public record Area(double lonMin, double lonMax, double latMin, double latMax) { }

    // ---- bit interleaving -------------------------------------------------------------------

    /** Spreads the 32 bits of {@code v} to the even bit positions of a 64-bit word. */
    private static long spread(long v) {
        v &= 0xFFFFFFFFL;
        v = (v | (v << 16)) & 0x0000FFFF0000FFFFL;
        v = (v | (v << 8)) & 0x00FF00FF00FF00FFL;
        v = (v | (v << 4)) & 0x0F0F0F0F0F0F0F0FL;
        v = (v | (v << 2)) & 0x3333333333333333L;
        v = (v | (v << 1)) & 0x5555555555555555L;
        return v;
    }

    /** Gathers the even bit positions of {@code v} into a 32-bit value. */
    private static long squash(long v) {
        v &= 0x5555555555555555L;
        v = (v | (v >>> 1)) & 0x3333333333333333L;
        v = (v | (v >>> 2)) & 0x0F0F0F0F0F0F0F0FL;
        v = (v | (v >>> 4)) & 0x00FF00FF00FF00FFL;
        v = (v | (v >>> 8)) & 0x0000FFFF0000FFFFL;
        v = (v | (v >>> 16)) & 0x00000000FFFFFFFFL;
        return v;
    }

    /** Latitude cell index at the even bits, longitude at the odd bits (both uint32). */
    static long interleave(long lat, long lon) { return spread(lat) | (spread(lon) << 1); }

    /** C's conversion of a non-negative double to uint32 (truncation, modulo 2^32 here). */
    private static long toUint32(double d) {
        return ((long) d) & 0xFFFFFFFFL;
    }

    /**
     * C's (uint64_t) cast of a double as x86-64 compilers emit it: below 2^63 a signed
     * truncation (out of range or NaN gives 0x8000000000000000), from 2^63 on the same on
     * d - 2^63 with the top bit flipped. Scores written by GEOADD are exact integers, so
     * this only matters for members added by ZADD with arbitrary scores.
     */
    public static long scoreToBits(double d) {
        final double two63 = 9.223372036854775808E18;
        if (d >= two63) return cvtt(d - two63) ^ Long.MIN_VALUE;
        return cvtt(d);
    }

    /** C's (long long) cast of a double on x86-64 (out of range or NaN → LLONG_MIN). */
    static long cvtt(double d) {
        if (Double.isNaN(d) || d >= 9.223372036854775808E18 || d < -9.223372036854775808E18) return Long.MIN_VALUE;
        return (long) d;
    }

    // ---- encode / decode ------------------------------------------------------------------

    /**
     * The {@code step}-bit cell holding (lon, lat) over the given ranges, or null when the
     * point is outside the ranges or outside the Web-Mercator limits.
     */
    static Bits encode(double lonMin, double lonMax, double latMin, double latMax, double lon, double lat, int step) {
        if (lon > LON_MAX || lon < LON_MIN || lat > LAT_MAX || lat < LAT_MIN) return null;
        if (lat < latMin || lat > latMax || lon < lonMin || lon > lonMax) return null;
        double latOff = (lat - latMin) / (latMax - latMin) * (double) (1L << step);
        double lonOff = (lon - lonMin) / (lonMax - lonMin) * (double) (1L << step);
        return new Bits(interleave(toUint32(latOff), toUint32(lonOff)), step);
    }

    /** The cell of (lon, lat) in the storage ranges; null outside the limits. */
    static Bits encodeWgs84(double lon, double lat, int step) {
        return encode(LON_MIN, LON_MAX, LAT_MIN, LAT_MAX, lon, lat, step);
    }

    /** The sorted-set score GEOADD stores for an in-range (lon, lat). */
    public static long score(double lon, double lat) {
        Bits b = encodeWgs84(lon, lat, STEP_MAX);
        return b == null ? 0 : align52(b);
    }

    /** The cell's hash shifted to the 52-bit score scale. */
    static long align52(Bits b) { return b.bits() << (52 - b.step() * 2); }

    /** Bounds of a cell over the storage ranges. */
    static Area decode(Bits b) {
        long sep = b.bits();
        long ilat = squash(sep), ilon = squash(sep >>> 1);
        double cells = (double) (1L << b.step());
        double latScale = LAT_MAX - LAT_MIN, lonScale = LON_MAX - LON_MIN;
        // the C code increments the uint32 index, wrapping at 2^32
        long ilat1 = (ilat + 1) & 0xFFFFFFFFL, ilon1 = (ilon + 1) & 0xFFFFFFFFL;
        return new Area(
                LON_MIN + (ilon * 1.0 / cells) * lonScale,
                LON_MIN + (ilon1 * 1.0 / cells) * lonScale,
                LAT_MIN + (ilat * 1.0 / cells) * latScale,
                LAT_MIN + (ilat1 * 1.0 / cells) * latScale);
    }

    /** The position a score stands for: its 26-bit cell's centre, clamped to the limits. */
    public static double[] decodeScore(double score) {
        Area a = decode(new Bits(scoreToBits(score), STEP_MAX));
        double lon = (a.lonMin() + a.lonMax()) / 2;
        lon = Math.min(LON_MAX, Math.max(LON_MIN, lon));
        double lat = (a.latMin() + a.latMax()) / 2;
        lat = Math.min(LAT_MAX, Math.max(LAT_MIN, lat));
        return new double[] {lon, lat};
    }

    private static final byte[] ALPHABET = "0123456789bcdefghjkmnpqrstuvwxyz".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /**
     * The standard 11-character geohash of a stored score: the decoded position re-encoded
     * over latitude [-90, 90]; only 52 bits exist, so the 11th character is always '0'.
     */
    public static byte[] standardHash(double score) {
        double[] xy = decodeScore(score);
        Bits b = encode(-180, 180, -90, 90, xy[0], xy[1], STEP_MAX);
        long bits = b == null ? 0 : b.bits();
        byte[] out = new byte[11];
        for (int i = 0; i < 10; i++) out[i] = ALPHABET[(int) ((bits >>> (52 - (i + 1) * 5)) & 0x1f)];
        out[10] = ALPHABET[0];
        return out;
    }

    // ---- neighbours ---------------------------------------------------------------------------

    /** Moves a cell one step east (d > 0) or west (d < 0), wrapping around the world. */
    private static Bits moveX(Bits h, int d) {
        long x = h.bits() & 0xAAAAAAAAAAAAAAAAL; // longitude bits
        long y = h.bits() & 0x5555555555555555L;
        long zz = 0x5555555555555555L >>> (64 - h.step() * 2);
        if (d > 0) {
            x = x + (zz + 1);
        } else {
            x = (x | zz) - (zz + 1);
        }
        x &= 0xAAAAAAAAAAAAAAAAL >>> (64 - h.step() * 2);
        return new Bits(x | y, h.step());
    }

    /** Moves a cell one step north (d > 0) or south (d < 0), wrapping. */
    private static Bits moveY(Bits h, int d) {
        long x = h.bits() & 0xAAAAAAAAAAAAAAAAL;
        long y = h.bits() & 0x5555555555555555L; // latitude bits
        long zz = 0xAAAAAAAAAAAAAAAAL >>> (64 - h.step() * 2);
        if (d > 0) {
            y = y + (zz + 1);
        } else {
            y = (y | zz) - (zz + 1);
        }
        y &= 0x5555555555555555L >>> (64 - h.step() * 2);
        return new Bits(x | y, h.step());
    }

    // ---- distances ----------------------------------------------------------------------------

    static double degRad(double deg) { return deg * D_R; }

    static double radDeg(double rad) { return rad / D_R; }

    /** Metres between two latitudes along a meridian. */
    static double latDistance(double lat1, double lat2) {
        return EARTH_RADIUS * Math.abs(degRad(lat2) - degRad(lat1));
    }

    /** Haversine distance in metres between (lon1, lat1) and (lon2, lat2). */
    public static double distance(double lon1, double lat1, double lon2, double lat2) {
        double lon1r = degRad(lon1), lon2r = degRad(lon2);
        double v = CrMath.sin((lon2r - lon1r) / 2);
        // same meridian: the meridian arc, exactly as Redis short-cuts it
        if (v == 0.0) return latDistance(lat1, lat2);
        double lat1r = degRad(lat1), lat2r = degRad(lat2);
        double u = CrMath.sin((lat2r - lat1r) / 2);
        double a = u * u + CrMath.cos(lat1r) * CrMath.cos(lat2r) * v * v;
        return 2.0 * EARTH_RADIUS * CrMath.asin(Math.sqrt(a));
    }

    // ---- search areas ---------------------------------------------------------------------------

    /**
     * The step (bits per coordinate) whose cells are about as large as {@code meters}: the
     * number of doublings to reach the Mercator half-width, less 2, less 1 or 2 more near
     * the poles, within [1, 26].
     */
    static int stepsForRadius(double meters, double lat) {
        if (meters == 0) return STEP_MAX;
        int step = 1;
        while (meters < MERCATOR_MAX) {
            meters *= 2;
            step++;
        }
        step -= 2;
        if (lat > 66 || lat < -66) {
            step--;
            if (lat > 80 || lat < -80) step--;
        }
        return Math.max(1, Math.min(STEP_MAX, step));
    }

    /**
     * The centre cell and its 8 neighbours to scan for a shape, in Redis's scan order
     * (centre, N, S, E, W, NE, NW, SE, SW); neighbours that cannot intersect the shape are
     * null.
     */
    static Bits[] searchCells(Shape s) {
        double[] bounds = s.boundingBox(); // lonMin, latMin, lonMax, latMax
        double lon = s.lon, lat = s.lat;
        double radius = s.box
                ? Math.sqrt((s.width / 2) * (s.width / 2) + (s.height / 2) * (s.height / 2))
                : s.radius;
        radius *= s.toMeters;
        int steps = stepsForRadius(radius, lat);
        Bits hash = encodeWgs84(lon, lat, steps);
        Bits[] n = neighbours(hash);
        // when the bounding box pokes out of the 3x3 block the cells are too small: one step coarser
        Area north = decode(n[1]), south = decode(n[2]), east = decode(n[3]), west = decode(n[4]);
        boolean coarser = north.latMax() < bounds[3] || south.latMin() > bounds[1]
                || east.lonMax() < bounds[2] || west.lonMin() > bounds[0];
        if (steps > 1 && coarser) {
            steps--;
            hash = encodeWgs84(lon, lat, steps);
            n = neighbours(hash);
        }
        Area area = decode(hash);
        if (steps >= 2) {
            if (area.latMin() < bounds[1]) { n[2] = null; n[8] = null; n[7] = null; }
            if (area.latMax() > bounds[3]) { n[1] = null; n[5] = null; n[6] = null; }
            if (area.lonMin() < bounds[0]) { n[4] = null; n[8] = null; n[6] = null; }
            if (area.lonMax() > bounds[2]) { n[3] = null; n[7] = null; n[5] = null; }
        }
        return n;
    }

    /** [centre, N, S, E, W, NE, NW, SE, SW]. */
    private static Bits[] neighbours(Bits h) {
        return new Bits[] {
            h,
            moveY(h, 1),
            moveY(h, -1),
            moveX(h, 1),
            moveX(h, -1),
            moveY(moveX(h, 1), 1),
            moveY(moveX(h, -1), 1),
            moveY(moveX(h, 1), -1),
            moveY(moveX(h, -1), -1),
        };
    }

    /** A search shape: a circle (radius) or a box (width × height), in its unit. */
    static final class Shape {
        double lon, lat;
        boolean box;
        double radius, width, height;
        /** Metres per unit of radius/width/height (and of reported distances). */
        double toMeters;

        /** {lonMin, latMin, lonMax, latMax} of the shape, in degrees. */
        double[] boundingBox() {
            double h = toMeters * (box ? height / 2 : radius);
            double w = toMeters * (box ? width / 2 : radius);
            double latDelta = radDeg(h / EARTH_RADIUS);
            double lonDeltaTop = radDeg(w / EARTH_RADIUS / CrMath.cos(degRad(lat + latDelta)));
            double lonDeltaBottom = radDeg(w / EARTH_RADIUS / CrMath.cos(degRad(lat - latDelta)));
            // the wider edge is the one nearer the equator
            boolean south = lat < 0;
            return new double[] {
                south ? lon - lonDeltaBottom : lon - lonDeltaTop,
                lat - latDelta,
                south ? lon + lonDeltaBottom : lon + lonDeltaTop,
                lat + latDelta,
            };
        }

        /**
         * The distance in metres from the centre to (plon, plat) when the point is inside
         * the shape, else -1. A box tests the latitude span first, then the longitude span
         * measured along the point's parallel.
         */
        double distanceIfInside(double plon, double plat) {
            if (!box) {
                double d = distance(lon, lat, plon, plat);
                return d > radius * toMeters ? -1 : d;
            }
            if (latDistance(plat, lat) > height * toMeters / 2) return -1;
            if (distance(plon, plat, lon, plat) > width * toMeters / 2) return -1;
            return distance(lon, lat, plon, plat);
        }
    }
}
