package io.jkevy.engine.command.geo;

import io.jkevy.engine.Args;
import io.jkevy.engine.CommandContext;
import io.jkevy.engine.command.zset.ZArgs;
import io.jkevy.resp.RespWriter;
import io.jkevy.store.Encodings;
import io.jkevy.store.type.zset.ZSetValue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * GEOSEARCH GEOSEARCHSTORE GEORADIUS GEORADIUSBYMEMBER and their _RO variants: one parser
 * and one search, as Redis shares them.
 *
 * <p>The search scans the centre geohash cell and its 8 neighbours (cells sized from the
 * radius, see {@link GeoHash#searchCells}), each as a score range of the sorted set, and
 * keeps the points inside the shape in scan order; ASC/DESC then sort by distance (stable,
 * so equal distances keep scan order). Cost: O(log n + m) per cell for m candidates.
 *
 * <p>STORE / STOREDIST / GEOSEARCHSTORE replace the destination with a sorted set of the
 * results (scores: the members' geo scores, or distances in the query unit), or delete it
 * when nothing matched; the effect is the command itself (deterministic given the source).
 */
public final class GeoSearch {
    private GeoSearch() { }

    /** Centre given by lon/lat arguments (GEORADIUS). */
    static final int RADIUS_COORDS = 1;
    /** Centre given by a member argument (GEORADIUSBYMEMBER). */
    static final int RADIUS_MEMBER = 2;
    /** STORE/STOREDIST not accepted (the _RO variants). */
    static final int NOSTORE = 4;
    static final int SEARCH = 8;
    static final int SEARCHSTORE = 16;

    private static final String BAD_MEMBER = "ERR could not decode requested zset member";

    public static void georadius(CommandContext c) { generic(c, 1, RADIUS_COORDS); }

    public static void georadiusRo(CommandContext c) { generic(c, 1, RADIUS_COORDS | NOSTORE); }

    public static void georadiusbymember(CommandContext c) { generic(c, 1, RADIUS_MEMBER); }

    public static void georadiusbymemberRo(CommandContext c) { generic(c, 1, RADIUS_MEMBER | NOSTORE); }

    public static void geosearch(CommandContext c) { generic(c, 1, SEARCH); }

    public static void geosearchstore(CommandContext c) { generic(c, 2, SEARCH | SEARCHSTORE); }

    /** A matched member: its score, decoded position and distance (metres until replied). */
    private record Point(byte[] member, double score, double lon, double lat, double dist) { }

    /** The member's decoded position, or BAD_MEMBER when it is not in the set. */
    private static double[] memberPosition(ZSetValue z, byte[] member) {
        double s = z.score(member);
        if (Double.isNaN(s)) throw CommandContext.error(BAD_MEMBER);
        return GeoHash.decodeScore(s);
    }

    /** Reads "radius unit" at argv[i], argv[i+1] into the shape (as a circle). */
    private static void radius(CommandContext c, int i, GeoHash.Shape s) {
        double r = Args.parseDouble(c.arg(i), "ERR need numeric radius");
        if (r < 0) throw CommandContext.error("ERR radius cannot be negative");
        double unit = GeoBasic.unit(c.arg(i + 1));
        s.box = false;
        s.radius = r;
        s.toMeters = unit;
    }

    /** Reads "width height unit" at argv[i..i+2] into the shape (as a box). */
    private static void box(CommandContext c, int i, GeoHash.Shape s) {
        double w = Args.parseDouble(c.arg(i), "ERR need numeric width");
        double h = Args.parseDouble(c.arg(i + 1), "ERR need numeric height");
        if (h < 0 || w < 0) throw CommandContext.error("ERR height or width cannot be negative");
        double unit = GeoBasic.unit(c.arg(i + 2));
        s.box = true;
        s.width = w;
        s.height = h;
        s.toMeters = unit;
    }

    private static void generic(CommandContext c, int srcIdx, int flags) {
        byte[] src = c.arg(srcIdx);
        ZSetValue z = ZArgs.read(c, src);
        GeoHash.Shape shape = new GeoHash.Shape();
        byte[] storeKey = null;
        boolean storeDist = false;
        int base;
        if ((flags & RADIUS_COORDS) != 0) {
            base = 6;
            double[] xy = GeoBasic.lonLat(c, 2);
            shape.lon = xy[0];
            shape.lat = xy[1];
            radius(c, 4, shape);
        } else if ((flags & RADIUS_MEMBER) != 0) {
            base = 5;
            // with no source set the centre and the radius are not even parsed (as Redis)
            if (z != null) {
                double[] xy = memberPosition(z, c.arg(2));
                shape.lon = xy[0];
                shape.lat = xy[1];
                radius(c, 3, shape);
            }
        } else {
            base = 2;
            if ((flags & SEARCHSTORE) != 0) {
                base = 3;
                storeKey = c.arg(1);
            }
        }

        boolean withDist = false, withHash = false, withCoord = false, any = false;
        boolean fromMember = false, fromLoc = false, byRadius = false, byBox = false;
        int sort = 0; // 0 none, 1 asc, -1 desc
        long count = 0;
        boolean search = (flags & SEARCH) != 0;
        int remaining = c.argc() - base;
        for (int k = 0; k < remaining; k++) {
            int a = base + k;
            if (c.argIs(a, "withdist")) {
                withDist = true;
            } else if (c.argIs(a, "withhash")) {
                withHash = true;
            } else if (c.argIs(a, "withcoord")) {
                withCoord = true;
            } else if (c.argIs(a, "any")) {
                any = true;
            } else if (c.argIs(a, "asc")) {
                sort = 1;
            } else if (c.argIs(a, "desc")) {
                sort = -1;
            } else if (c.argIs(a, "count") && k + 1 < remaining) {
                count = c.longArg(a + 1);
                if (count <= 0) throw CommandContext.error("ERR COUNT must be > 0");
                k++;
            } else if ((c.argIs(a, "store") || c.argIs(a, "storedist")) && k + 1 < remaining
                    && (flags & NOSTORE) == 0 && !search) {
                storeKey = c.arg(a + 1);
                storeDist = c.argIs(a, "storedist");
                k++;
            } else if (c.argIs(a, "storedist") && search && (flags & SEARCHSTORE) != 0) {
                storeDist = true;
            } else if (c.argIs(a, "frommember") && k + 1 < remaining && search && !fromLoc) {
                if (z != null) {
                    double[] xy = memberPosition(z, c.arg(a + 1));
                    shape.lon = xy[0];
                    shape.lat = xy[1];
                }
                fromMember = true;
                k++;
            } else if (c.argIs(a, "fromlonlat") && k + 2 < remaining && search && !fromMember) {
                double[] xy = GeoBasic.lonLat(c, a + 1);
                shape.lon = xy[0];
                shape.lat = xy[1];
                fromLoc = true;
                k += 2;
            } else if (c.argIs(a, "byradius") && k + 2 < remaining && search && !byBox) {
                radius(c, a + 1, shape);
                byRadius = true;
                k += 2;
            } else if (c.argIs(a, "bybox") && k + 3 < remaining && search && !byRadius) {
                box(c, a + 1, shape);
                byBox = true;
                k += 3;
            } else {
                throw c.syntax();
            }
        }

        if (storeKey != null && (withDist || withHash || withCoord)) {
            throw CommandContext.error("ERR " + ((flags & SEARCHSTORE) != 0 ? "GEOSEARCHSTORE" : "STORE option in GEORADIUS")
                    + " is not compatible with WITHDIST, WITHHASH and WITHCOORD options");
        }
        if (search && !(fromMember || fromLoc)) {
            throw CommandContext.error("ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for " + c.argString(0));
        }
        if (search && !(byRadius || byBox)) {
            throw CommandContext.error("ERR exactly one of BYRADIUS and BYBOX can be specified for " + c.argString(0));
        }
        if (any && count == 0) throw CommandContext.error("ERR the ANY argument requires COUNT argument");

        if (z == null) {
            if (storeKey != null) {
                if (c.db().remove(storeKey)) c.propagateAsIs(storeKey);
                c.out().integer(0);
            } else {
                c.out().arrayHeader(0);
            }
            return;
        }
        // COUNT picks the nearest ones unless ANY asked for the first found
        if (count != 0 && sort == 0 && !any) sort = 1;

        List<Point> found = scan(z, shape, any ? count : 0);
        if (found.isEmpty() && storeKey == null) {
            c.out().arrayHeader(0);
            return;
        }
        if (sort != 0) {
            Comparator<Point> byDist = Comparator.comparingDouble(Point::dist);
            found.sort(sort > 0 ? byDist : byDist.reversed());
        }
        int n = (int) (count == 0 || found.size() < count ? found.size() : count);

        if (storeKey == null) {
            RespWriter out = c.out();
            int options = (withDist ? 1 : 0) + (withHash ? 1 : 0) + (withCoord ? 1 : 0);
            out.arrayHeader(n);
            for (int i = 0; i < n; i++) {
                Point p = found.get(i);
                if (options > 0) out.arrayHeader(options + 1);
                out.bulk(p.member());
                if (withDist) GeoReply.distance(out, p.dist() / shape.toMeters);
                if (withHash) out.integer(GeoHash.cvtt(p.score()));
                if (withCoord) {
                    out.arrayHeader(2);
                    GeoReply.coordinate(out, p.lon());
                    GeoReply.coordinate(out, p.lat());
                }
            }
            return;
        }
        if (n > 0) {
            Encodings enc = c.keyspace().encodings();
            int maxLen = 0;
            for (int i = 0; i < n; i++) maxLen = Math.max(maxLen, found.get(i).member().length);
            ZSetValue dst = ZSetValue.create(n, maxLen, enc);
            for (int i = 0; i < n; i++) {
                Point p = found.get(i);
                dst.put(p.member(), storeDist ? p.dist() / shape.toMeters : p.score(), enc);
            }
            c.db().put(storeKey, dst);
            c.propagateAsIs(storeKey);
        } else if (c.db().remove(storeKey)) {
            c.propagateAsIs(storeKey);
        }
        c.out().integer(n);
    }

    /**
     * The points inside the shape, cell by cell in Redis's order (a neighbour equal to the
     * previously scanned one is skipped, which happens for huge radii); with limit > 0 the
     * scan stops once that many were found.
     */
    private static List<Point> scan(ZSetValue z, GeoHash.Shape shape, long limit) {
        GeoHash.Bits[] cells = GeoHash.searchCells(shape);
        List<Point> out = new ArrayList<>();
        int last = 0;
        for (int i = 0; i < cells.length; i++) {
            GeoHash.Bits cell = cells[i];
            if (cell == null) continue;
            if (last != 0 && cell.equals(cells[last])) continue;
            if (limit > 0 && out.size() >= limit) break;
            long min = GeoHash.align52(cell);
            long max = GeoHash.align52(new GeoHash.Bits(cell.bits() + 1, cell.step()));
            // scores in [min, max)
            int first = z.firstRankByScore((double) min, false);
            int end = z.endRankByScore((double) max, true);
            for (ZSetValue.Cursor cur = z.cursor(first, false); first < end && cur.valid(); cur.next(), first++) {
                double s = cur.score();
                double[] xy = GeoHash.decodeScore(s);
                double d = shape.distanceIfInside(xy[0], xy[1]);
                if (d < 0) continue;
                out.add(new Point(cur.member(), s, xy[0], xy[1], d));
                if (limit > 0 && out.size() >= limit) break;
            }
            last = i;
        }
        return out;
    }
}
