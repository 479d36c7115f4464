package io.jkevy.engine.command;

import io.jkevy.engine.EngineHarness;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.jkevy.engine.command.StringCommandsTestSupport.effects;
import static io.jkevy.engine.command.StringCommandsTestSupport.mark;
import static org.assertj.core.api.Assertions.assertThat;

/** Geo commands with replies taken from Redis 7.0.15 (byte for byte). */
class GeoCommandsTest {
    private EngineHarness h;

    @BeforeEach
    void setUp() {
        h = new EngineHarness();
        assertThat(h.integer("GEOADD", "Sicily", "13.361389", "38.115556", "Palermo", "15.087269", "37.502669", "Catania")).isEqualTo(2);
    }

    private static String b(String s) { return "$" + s.length() + "\r\n" + s + "\r\n"; }

    @Test
    void palermoCatania() {
        assertThat(h.bulk("ZSCORE", "Sicily", "Palermo")).isEqualTo("3479099956230698");
        assertThat(h.raw("GEOPOS", "Sicily", "Palermo", "nope")).isEqualTo(
                "*2\r\n*2\r\n" + b("13.36138933897018433") + b("38.11555639549629859") + "*-1\r\n");
        assertThat(h.bulk("GEODIST", "Sicily", "Palermo", "Catania")).isEqualTo("166274.1516");
        assertThat(h.bulk("GEODIST", "Sicily", "Palermo", "Catania", "KM")).isEqualTo("166.2742");
        assertThat(h.bulk("GEODIST", "Sicily", "Palermo", "Catania", "mi")).isEqualTo("103.3182");
        assertThat(h.bulk("GEODIST", "Sicily", "Palermo", "nope")).isNull();
        assertThat(h.raw("GEOHASH", "Sicily", "Palermo", "Catania", "nope")).isEqualTo(
                "*3\r\n" + b("sqc8b49rny0") + b("sqdtr74hyu0") + "$-1\r\n");
        assertThat(h.raw("GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYBOX", "400", "400", "km", "ASC",
                "WITHCOORD", "WITHDIST", "WITHHASH")).isEqualTo("*2\r\n"
                + "*4\r\n" + b("Catania") + b("56.4413") + ":3479447370796909\r\n*2\r\n" + b("15.08726745843887329") + b("37.50266842333162032")
                + "*4\r\n" + b("Palermo") + b("190.4424") + ":3479099956230698\r\n*2\r\n" + b("13.36138933897018433") + b("38.11555639549629859"));
        assertThat(h.raw("GEORADIUS", "Sicily", "15", "37", "100", "km")).isEqualTo("*1\r\n" + b("Catania"));
        assertThat(h.raw("GEORADIUS", "Sicily", "15", "37", "200", "km", "DESC")).isEqualTo("*2\r\n" + b("Palermo") + b("Catania"));
        assertThat(h.raw("GEORADIUSBYMEMBER_RO", "Sicily", "Palermo", "200", "km", "COUNT", "1", "WITHDIST"))
                .isEqualTo("*1\r\n*2\r\n" + b("Palermo") + b("0.0000"));
    }

    @Test
    void resp3CoordinatesAreDoublesDistancesStayBulk() {
        h.protocol(3);
        assertThat(h.raw("GEOPOS", "Sicily", "Palermo", "nope")).isEqualTo(
                "*2\r\n*2\r\n,13.36138933897018433\r\n,38.11555639549629859\r\n_\r\n");
        assertThat(h.raw("GEODIST", "Sicily", "Palermo", "Catania")).isEqualTo(b("166274.1516"));
    }

    @Test
    void geoaddOptionsAndErrors() {
        assertThat(h.error("GEOADD", "k", "200", "10", "a")).isEqualTo("ERR invalid longitude,latitude pair 200.000000,10.000000");
        assertThat(h.error("GEOADD", "k", "10", "85.06", "a")).isEqualTo("ERR invalid longitude,latitude pair 10.000000,85.060000");
        assertThat(h.error("GEOADD", "k", "x", "10", "a")).isEqualTo("ERR value is not a valid float");
        assertThat(h.error("GEOADD", "k", "nx", "xx", "1", "1", "a")).isEqualTo("ERR syntax error");
        assertThat(h.error("GEOADD", "k", "1", "1", "a", "2")).isEqualTo("ERR syntax error");
        assertThat(h.error("GEOADD", "k", "1", "1")).startsWith("ERR wrong number of arguments");
        assertThat(h.integer("EXISTS", "k")).isZero();
        assertThat(h.integer("GEOADD", "Sicily", "xx", "1", "1", "Palermo", "1", "1", "new")).isZero();
        assertThat(h.integer("GEOADD", "Sicily", "xx", "ch", "1", "1", "Palermo", "1", "1", "new")).isZero(); // unchanged
        assertThat(h.integer("GEOADD", "Sicily", "nx", "ch", "2", "2", "Palermo", "1", "1", "new")).isEqualTo(1);
        assertThat(h.integer("GEOADD", "Sicily", "ch", "2", "2", "Palermo", "1", "1", "new")).isEqualTo(1);
        assertThat(h.integer("GEOADD", "nokey", "xx", "1", "1", "a")).isZero();
        assertThat(h.integer("EXISTS", "nokey")).isZero();
        h.simple("SET", "str", "x");
        assertThat(h.error("GEOADD", "str", "1", "1", "a")).startsWith("WRONGTYPE");
        assertThat(h.error("GEOADD", "str", "1", "91", "a")).startsWith("ERR invalid longitude"); // coordinates first
        assertThat(h.error("GEOPOS", "str", "a")).startsWith("WRONGTYPE");
        assertThat(h.error("GEOSEARCH", "str", "FROMLONLAT", "1", "1", "BYRADIUS", "1", "m")).startsWith("WRONGTYPE");
    }

    @Test
    void searchErrors() {
        assertThat(h.error("GEODIST", "Sicily", "Palermo", "Catania", "yd")).isEqualTo("ERR unsupported unit provided. please use M, KM, FT, MI");
        assertThat(h.error("GEORADIUSBYMEMBER", "Sicily", "nope", "1", "km")).isEqualTo("ERR could not decode requested zset member");
        assertThat(h.error("GEOSEARCH", "Sicily", "FROMMEMBER", "nope", "BYRADIUS", "1", "km")).isEqualTo("ERR could not decode requested zset member");
        assertThat(h.error("GEORADIUS", "Sicily", "1", "1", "-1", "km")).isEqualTo("ERR radius cannot be negative");
        assertThat(h.error("GEORADIUS", "Sicily", "1", "1", "x", "km")).isEqualTo("ERR need numeric radius");
        assertThat(h.error("GEORADIUS", "Sicily", "1", "1", "1", "km", "COUNT", "0")).isEqualTo("ERR COUNT must be > 0");
        assertThat(h.error("GEORADIUS", "Sicily", "1", "1", "1", "km", "ANY")).isEqualTo("ERR the ANY argument requires COUNT argument");
        assertThat(h.error("GEORADIUS", "Sicily", "1", "1", "1", "km", "STORE", "d", "WITHDIST"))
                .isEqualTo("ERR STORE option in GEORADIUS is not compatible with WITHDIST, WITHHASH and WITHCOORD options");
        assertThat(h.error("GEORADIUS_RO", "Sicily", "1", "1", "1", "km", "STORE", "d")).isEqualTo("ERR syntax error");
        assertThat(h.error("GEOSEARCHSTORE", "d", "Sicily", "FROMLONLAT", "1", "1", "BYRADIUS", "1", "km", "WITHHASH"))
                .isEqualTo("ERR GEOSEARCHSTORE is not compatible with WITHDIST, WITHHASH and WITHCOORD options");
        assertThat(h.error("geosearch", "Sicily", "BYRADIUS", "1", "km", "ASC", "WITHDIST"))
                .isEqualTo("ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for geosearch");
        assertThat(h.error("GEOSEARCH", "Sicily", "FROMLONLAT", "1", "1", "ASC", "WITHDIST"))
                .isEqualTo("ERR exactly one of BYRADIUS and BYBOX can be specified for GEOSEARCH");
        assertThat(h.error("GEOSEARCH", "Sicily", "FROMMEMBER", "Palermo", "FROMLONLAT", "1", "1", "BYRADIUS", "1", "km"))
                .isEqualTo("ERR syntax error");
        assertThat(h.error("GEOSEARCH", "Sicily", "FROMLONLAT", "1", "1", "BYBOX", "-1", "1", "km"))
                .isEqualTo("ERR height or width cannot be negative");
        // no source set: Redis parses neither the member nor the radius of GEORADIUSBYMEMBER
        assertThat(h.raw("GEORADIUSBYMEMBER", "nokey", "nope", "1", "badunit")).isEqualTo("*0\r\n");
    }

    @Test
    void storeVariantsWriteAndJournal() {
        long m = mark(h);
        assertThat(h.integer("GEOSEARCHSTORE", "dst", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "STOREDIST")).isEqualTo(2);
        assertThat(h.raw("ZRANGE", "dst", "0", "-1", "WITHSCORES")).isEqualTo(
                "*4\r\n" + b("Catania") + b("56.441257870158204") + b("Palermo") + b("190.44242984775784"));
        assertThat(h.bulk("OBJECT", "ENCODING", "dst")).isEqualTo("listpack");
        assertThat(h.integer("GEORADIUS", "Sicily", "15", "37", "100", "km", "STORE", "dst2")).isEqualTo(1);
        assertThat(h.bulk("ZSCORE", "dst2", "Catania")).isEqualTo("3479447370796909");
        h.call("GEORADIUS", "Sicily", "15", "37", "100", "km"); // no STORE: nothing journaled
        assertThat(h.integer("GEORADIUS", "Sicily", "50", "50", "1", "km", "STORE", "dst2")).isZero();
        assertThat(h.integer("EXISTS", "dst2")).isZero();
        assertThat(h.integer("GEORADIUS", "Sicily", "50", "50", "1", "km", "STORE", "dst2")).isZero(); // nothing to delete
        assertThat(h.integer("GEOADD", "Sicily", "nx", "13.361389", "38.115556", "Palermo")).isZero(); // no change
        assertThat(h.integer("GEOADD", "Sicily", "1", "2", "x")).isEqualTo(1);
        List<String> e = effects(h, m);
        assertThat(e).containsExactly(
                "GEOSEARCHSTORE dst Sicily FROMLONLAT 15 37 BYRADIUS 200 km STOREDIST",
                "GEORADIUS Sicily 15 37 100 km STORE dst2",
                "GEORADIUS Sicily 50 50 1 km STORE dst2",
                "GEOADD Sicily 1 2 x");
    }

    @Test
    void countAnyAndLimits() {
        for (int i = 0; i < 200; i++) {
            h.integer("GEOADD", "big", Double.toString(-0.5 + i * 0.005), Double.toString(10 + (i % 7) * 0.001), "m" + i);
        }
        assertThat(h.bulk("OBJECT", "ENCODING", "big")).isEqualTo("skiplist");
        assertThat(h.raw("GEOSEARCH", "big", "FROMLONLAT", "0", "10", "BYRADIUS", "1", "km", "COUNT", "2"))
                .isEqualTo("*2\r\n" + b("m100") + b("m99"));
        assertThat(h.raw("GEOSEARCH", "big", "FROMLONLAT", "0", "10", "BYRADIUS", "1", "km", "COUNT", "2", "DESC"))
                .isEqualTo("*2\r\n" + b("m101") + b("m99"));
        // the corner is indexable; its cell index overflows 26 bits (as in Redis), decoding clamps
        assertThat(h.integer("GEOADD", "edge", "180", "85.05112878", "ne")).isEqualTo(1);
        assertThat(h.raw("GEOPOS", "edge", "ne")).isEqualTo("*1\r\n*2\r\n" + b("180") + b("85.0511287799999991"));
        assertThat(h.raw("GEOHASH", "edge", "ne")).isEqualTo("*1\r\n" + b("bp05b5048p0"));
    }
}
