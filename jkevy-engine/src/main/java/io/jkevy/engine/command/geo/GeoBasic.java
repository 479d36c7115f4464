package io.jkevy.engine.command.geo;

import io.jkevy.engine.Args;
import io.jkevy.engine.CommandContext;
import io.jkevy.engine.command.zset.ZArgs;
import io.jkevy.resp.RespWriter;
import io.jkevy.store.Encodings;
import io.jkevy.store.type.zset.ZSetValue;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** GEOADD GEOPOS GEODIST GEOHASH, and the argument parsers shared with the searches. */
public final class GeoBasic {
    private GeoBasic() { }

    static final String BAD_UNIT = "ERR unsupported unit provided. please use M, KM, FT, MI";
    static final String NOT_FLOAT = "ERR value is not a valid float";

    /** Metres per unit for "m", "km", "ft", "mi"; throws BAD_UNIT otherwise. */
    static double unit(byte[] arg) {
        if (Args.is(arg, "m")) return 1;
        if (Args.is(arg, "km")) return 1000;
        if (Args.is(arg, "ft")) return 0.3048;
        if (Args.is(arg, "mi")) return 1609.34;
        throw CommandContext.error(BAD_UNIT);
    }

    /** (lon, lat) from argv[i], argv[i+1], within Redis's indexable limits. */
    static double[] lonLat(CommandContext c, int i) {
        double lon = Args.parseDouble(c.arg(i), NOT_FLOAT);
        double lat = Args.parseDouble(c.arg(i + 1), NOT_FLOAT);
        if (lon < GeoHash.LON_MIN || lon > GeoHash.LON_MAX || lat < GeoHash.LAT_MIN || lat > GeoHash.LAT_MAX) {
            throw CommandContext.error("ERR invalid longitude,latitude pair " + cFixed6(lon) + "," + cFixed6(lat));
        }
        return new double[] {lon, lat};
    }

    /** C's "%f". */
    private static String cFixed6(double d) {
        if (Double.isInfinite(d)) return d > 0 ? "inf" : "-inf";
        String s = new BigDecimal(d).setScale(6, RoundingMode.HALF_EVEN).toPlainString();
        return d < 0 && !s.startsWith("-") ? "-" + s : s;
    }

    /**
     * GEOADD key [NX|XX] [CH] lon lat member [lon lat member ...]: ZADD of the members with
     * their 52-bit cell scores; same reply and option rules as ZADD (CH counts changed scores).
     * Deterministic, so its effect is itself.
     */
    public static void geoadd(CommandContext c) {
        boolean nx = false, xx = false, ch = false;
        int i = 2;
        for (; i < c.argc(); i++) {
            if (c.argIs(i, "nx")) nx = true;
            else if (c.argIs(i, "xx")) xx = true;
            else if (c.argIs(i, "ch")) ch = true;
            else break;
        }
        int rest = c.argc() - i;
        if (rest % 3 != 0 || (nx && xx) || rest == 0) throw c.syntax();
        int elements = rest / 3;
        long[] scores = new long[elements];
        for (int j = 0; j < elements; j++) {
            double[] xy = lonLat(c, i + 3 * j);
            scores[j] = GeoHash.score(xy[0], xy[1]);
        }
        byte[] key = c.arg(1);
        ZSetValue z = ZArgs.write(c, key);
        Encodings enc = c.keyspace().encodings();
        if (z == null) {
            if (xx) {
                c.out().integer(0);
                return;
            }
            // as ZADD: sized for the first member; put() converts when later ones do not fit
            z = ZSetValue.create(1, c.arg(i + 2).length, enc);
            c.db().put(key, z);
        }
        int added = 0, updated = 0;
        for (int j = 0; j < elements; j++) {
            byte[] m = c.arg(i + 3 * j + 2);
            double s = scores[j];
            double cur = z.score(m);
            if (Double.isNaN(cur)) {
                if (xx) continue;
                z.put(m, s, enc);
                added++;
            } else if (!nx && cur != s) {
                z.put(m, s, enc);
                updated++;
            }
        }
        if (z.size() == 0) {
            c.db().remove(key); // NX/XX filtered everything out of a key created just now
        } else if (added + updated > 0) {
            c.propagateAsIs(key);
        }
        c.out().integer(ch ? added + updated : added);
    }

    /** GEOPOS key [member ...]: [lon, lat] of each member's cell centre, null array if absent. */
    public static void geopos(CommandContext c) {
        ZSetValue z = ZArgs.read(c, c.arg(1));
        RespWriter out = c.out();
        out.arrayHeader(c.argc() - 2);
        for (int j = 2; j < c.argc(); j++) {
            double s = z == null ? Double.NaN : z.score(c.arg(j));
            if (Double.isNaN(s)) {
                out.nullArray();
                continue;
            }
            double[] xy = GeoHash.decodeScore(s);
            out.arrayHeader(2);
            GeoReply.coordinate(out, xy[0]);
            GeoReply.coordinate(out, xy[1]);
        }
    }

    /** GEODIST key member1 member2 [M|KM|FT|MI]: null bulk when a member is missing. */
    public static void geodist(CommandContext c) {
        double toMeters = 1;
        if (c.argc() == 5) toMeters = unit(c.arg(4));
        else if (c.argc() > 5) throw c.syntax();
        ZSetValue z = ZArgs.read(c, c.arg(1));
        double s1 = z == null ? Double.NaN : z.score(c.arg(2));
        double s2 = z == null ? Double.NaN : z.score(c.arg(3));
        if (Double.isNaN(s1) || Double.isNaN(s2)) {
            c.out().nullBulk();
            return;
        }
        double[] a = GeoHash.decodeScore(s1), b = GeoHash.decodeScore(s2);
        GeoReply.distance(c.out(), GeoHash.distance(a[0], a[1], b[0], b[1]) / toMeters);
    }

    /** GEOHASH key [member ...]: 11-character standard geohashes, null bulk if absent. */
    public static void geohash(CommandContext c) {
        ZSetValue z = ZArgs.read(c, c.arg(1));
        RespWriter out = c.out();
        out.arrayHeader(c.argc() - 2);
        for (int j = 2; j < c.argc(); j++) {
            double s = z == null ? Double.NaN : z.score(c.arg(j));
            if (Double.isNaN(s)) out.nullBulk();
            else out.bulk(GeoHash.standardHash(s));
        }
    }
}
