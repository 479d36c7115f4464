package io.jkevy.engine.command;

import io.jkevy.engine.EngineHarness;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Differential check against a real Redis 7.0 listening on 127.0.0.1:6392 (skipped when none
 * is running): the same random geo workload is sent to both and every reply must be
 * byte-identical. Start one with
 * {@code redis-server --port 6392 --save '' --appendonly no --daemonize yes}.
 */
class GeoCommandsTestDiff {
    private EngineHarness h;
    private Socket sock;
    private InputStream in;
    private OutputStream out;

    @BeforeEach
    void setUp() throws IOException {
        h = new EngineHarness();
        sock = new Socket();
        try {
            sock.connect(new InetSocketAddress("127.0.0.1", 6392), 300);
        } catch (IOException e) {
            Assumptions.abort("no Redis on port 6392");
        }
        in = new BufferedInputStream(sock.getInputStream());
        out = sock.getOutputStream();
        String version = redis("INFO", "server");
        Assumptions.assumeTrue(version.contains("redis_version:7.0."), "port 6392 is not Redis 7.0");
        redis("FLUSHALL");
    }

    private String redis(String... args) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(('*' + Integer.toString(args.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (String a : args) {
            byte[] x = a.getBytes(StandardCharsets.UTF_8);
            b.write(('$' + Integer.toString(x.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            b.write(x);
            b.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.write(b.toByteArray());
        out.flush();
        ByteArrayOutputStream r = new ByteArrayOutputStream();
        readReply(r);
        return r.toString(StandardCharsets.ISO_8859_1);
    }

    private String line(ByteArrayOutputStream r) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) throw new IOException("eof");
            r.write(c);
            sb.append((char) c);
        }
        r.write('\n');
        return sb.substring(0, sb.length() - 1);
    }

    private void readReply(ByteArrayOutputStream r) throws IOException {
        String l = line(r);
        char t = l.charAt(0);
        switch (t) {
            case '$', '=' -> {
                int n = Integer.parseInt(l.substring(1));
                if (n >= 0) r.write(in.readNBytes(n + 2));
            }
            case '*', '~', '>' -> {
                int n = Integer.parseInt(l.substring(1));
                for (int i = 0; i < n; i++) readReply(r);
            }
            case '%' -> {
                int n = Integer.parseInt(l.substring(1));
                for (int i = 0; i < 2 * n; i++) readReply(r);
            }
            default -> { }
        }
    }

    private final List<String> mismatches = new ArrayList<>();
    private int compared;

    private void both(String... args) throws IOException {
        String a = redis(args);
        String b = h.raw(args);
        compared++;
        if (!a.equals(b) && mismatches.size() < 30) {
            // show only where the replies part
            int i = 0;
            while (i < a.length() && i < b.length() && a.charAt(i) == b.charAt(i)) i++;
            int from = Math.max(0, i - 60);
            mismatches.add(String.join(" ", args) + "\n  redis: ..." + a.substring(from, Math.min(a.length(), i + 60)).replace("\r\n", "|")
                    + "\n  jkevy: ..." + b.substring(from, Math.min(b.length(), i + 60)).replace("\r\n", "|"));
        }
    }

    /**
     * STOREDIST scores agree up to 4 ulps: glibc's sin/cos/asin are not always correctly
     * rounded while jkevy's are, so the 17-digit scores may differ in the last bit.
     */
    private void closeScores() throws IOException {
        String a = redis("ZRANGE", "dst", "0", "-1", "WITHSCORES");
        String b = h.raw("ZRANGE", "dst", "0", "-1", "WITHSCORES");
        String[] x = a.split("\r\n"), y = b.split("\r\n");
        compared++;
        boolean ok = x.length == y.length;
        for (int i = 0; ok && i < x.length; i++) {
            if (x[i].equals(y[i]) || (x[i].startsWith("$") && y[i].startsWith("$"))) continue;
            try {
                double p = Double.parseDouble(x[i].startsWith(",") ? x[i].substring(1) : x[i]);
                double q = Double.parseDouble(y[i].startsWith(",") ? y[i].substring(1) : y[i]);
                ok = Math.abs(p - q) <= 4 * Math.ulp(p);
            } catch (NumberFormatException e) {
                ok = false;
            }
        }
        if (!ok && mismatches.size() < 30) mismatches.add("STOREDIST scores\n  redis: " + a + "\n  jkevy: " + b);
    }

    private static String num(Random r, double lo, double hi) {
        double v = lo + r.nextDouble() * (hi - lo);
        int digits = r.nextInt(9);
        return String.format(Locale.ROOT, "%." + digits + "f", v);
    }

    private static final String[] UNITS = {"m", "km", "mi", "ft", "KM"};

    private void workload(long seed, int protocol) throws IOException {
        Random r = new Random(seed);
        both("FLUSHALL");
        both("GEOADD", "Sicily", "13.361389", "38.115556", "Palermo", "15.087269", "37.502669", "Catania");
        // clusters at random centres, so that searches find something at every scale
        int points = 0;
        for (int cl = 0; cl < 12; cl++) {
            double clon = -180 + r.nextDouble() * 360;
            double clat = cl < 3 ? (r.nextBoolean() ? 1 : -1) * (75 + r.nextDouble() * 10.05) : -85 + r.nextDouble() * 170;
            if (cl == 3) clon = 179.9;
            for (int i = 0; i < 40; i++) {
                double spread = Math.pow(10, -4 + r.nextInt(6));
                double lon = Math.max(-180, Math.min(180, clon + (r.nextDouble() - 0.5) * spread));
                double lat = Math.max(-85.05, Math.min(85.05, clat + (r.nextDouble() - 0.5) * spread));
                both("GEOADD", "pts", String.format(Locale.ROOT, "%.7f", lon), String.format(Locale.ROOT, "%.7f", lat), "p" + points++);
            }
        }
        for (int q = 0; q < 400; q++) {
            int who = r.nextInt(points);
            List<String> cmd = new ArrayList<>();
            int kind = r.nextInt(8);
            double radius = Math.pow(10, r.nextDouble() * 7.5) / (r.nextInt(4) == 0 ? 1000 : 1);
            String unit = UNITS[r.nextInt(UNITS.length)];
            switch (kind) {
                case 0 -> { both("GEOPOS", "pts", "p" + who, "p" + r.nextInt(points), "nope"); continue; }
                case 1 -> { both("GEODIST", "pts", "p" + who, "p" + r.nextInt(points), unit); continue; }
                case 2 -> { both("GEOHASH", "pts", "p" + who, "p" + r.nextInt(points), "nope"); continue; }
                case 3 -> {
                    cmd.addAll(List.of("GEORADIUSBYMEMBER", "pts", "p" + who, num(r, 0, radius), unit));
                }
                case 4 -> {
                    cmd.addAll(List.of("GEORADIUS", "pts", num(r, -180, 180), num(r, -85.05, 85.05), num(r, 0, radius), unit));
                }
                default -> {
                    cmd.addAll(List.of("GEOSEARCH", "pts"));
                    if (r.nextBoolean()) cmd.addAll(List.of("FROMMEMBER", "p" + who));
                    else cmd.addAll(List.of("FROMLONLAT", num(r, -180, 180), num(r, -85.05, 85.05)));
                    if (r.nextBoolean()) cmd.addAll(List.of("BYRADIUS", num(r, 0, radius), unit));
                    else cmd.addAll(List.of("BYBOX", num(r, 0, radius * 2), num(r, 0, radius * 2), unit));
                }
            }
            if (r.nextBoolean()) cmd.add(r.nextBoolean() ? "ASC" : "DESC");
            if (r.nextInt(3) == 0) {
                cmd.addAll(List.of("COUNT", Integer.toString(1 + r.nextInt(20))));
                if (r.nextInt(3) == 0) cmd.add("ANY");
            }
            boolean store = kind != 5 && r.nextInt(4) == 0;
            if (store) {
                if (kind == 3 || kind == 4) cmd.addAll(List.of(r.nextBoolean() ? "STORE" : "STOREDIST", "dst"));
                else {
                    cmd.set(0, "GEOSEARCHSTORE");
                    cmd.add(1, "dst");
                    if (r.nextBoolean()) cmd.add("STOREDIST");
                }
            } else {
                if (r.nextBoolean()) cmd.add("WITHDIST");
                if (r.nextBoolean()) cmd.add("WITHCOORD");
                if (r.nextBoolean()) cmd.add("WITHHASH");
            }
            both(cmd.toArray(new String[0]));
            if (store && cmd.contains("STOREDIST")) {
                both("ZRANGE", "dst", "0", "-1");
                closeScores();
            } else if (store) {
                both("ZRANGE", "dst", "0", "-1", "WITHSCORES");
                both("OBJECT", "ENCODING", "dst");
            }
        }
    }

    @Test
    void randomWorkloadMatchesRedisResp2() throws IOException {
        for (long seed = 1; seed <= 5; seed++) workload(seed, 2);
        assertThat(mismatches).as("of %d replies", compared).isEmpty();
    }

    @Test
    void randomWorkloadMatchesRedisResp3() throws IOException {
        redis("HELLO", "3");
        h.protocol(3);
        for (long seed = 11; seed <= 12; seed++) workload(seed, 3);
        assertThat(mismatches).as("of %d replies", compared).isEmpty();
    }

    @Test
    void errorsAndEdgesMatchRedis() throws IOException {
        String[][] cmds = {
            {"GEOADD", "k", "200", "10", "a"},
            {"GEOADD", "k", "10", "86", "a"},
            {"GEOADD", "k", "-180.0000001", "10", "a"},
            {"GEOADD", "k", "inf", "10", "a"},
            {"GEOADD", "k", "x", "10", "a"},
            {"GEOADD", "k", "10", "10"},
            {"GEOADD", "k", "nx", "xx", "10", "10", "a"},
            {"GEOADD", "k", "nx", "ch", "ch"},
            {"GEOADD", "k", "180", "85.05112878", "corner", "-180", "-85.05112878", "other", "0", "0", "zero"},
            {"GEOPOS", "k", "corner", "other", "zero", "nope"},
            {"GEOHASH", "k", "corner", "other", "zero", "nope"},
            {"ZSCORE", "k", "corner"},
            {"GEOADD", "k", "ch", "1", "1", "zero", "0", "0", "new"},
            {"GEOADD", "k", "xx", "ch", "2", "2", "zero", "3", "3", "absent"},
            {"GEOADD", "k", "nx", "ch", "2", "2", "zero", "3", "3", "absent"},
            {"GEODIST", "k", "zero", "absent"},
            {"GEODIST", "k", "zero", "absent", "KM"},
            {"GEODIST", "k", "zero", "absent", "yards"},
            {"GEODIST", "k", "zero", "absent", "km", "extra"},
            {"GEODIST", "k", "zero", "nope"},
            {"GEODIST", "nokey", "zero", "nope"},
            {"GEOPOS", "nokey", "a", "b"},
            {"GEOHASH", "nokey", "a", "b"},
            {"GEOPOS", "k"},
            {"ZADD", "k", "-5", "neg", "1e20", "huge", "4503599627370496", "top", "inf", "inf"},
            {"GEOPOS", "k", "neg", "huge", "top", "inf"},
            {"GEOHASH", "k", "neg", "huge", "top", "inf"},
            {"SET", "str", "x"},
            {"GEOADD", "str", "1", "1", "a"},
            {"GEOADD", "str", "1", "100", "a"},
            {"GEOPOS", "str", "a"},
            {"GEORADIUS", "str", "1", "1", "1", "km"},
            {"GEORADIUS", "k", "1", "1", "-1", "km"},
            {"GEORADIUS", "k", "1", "1", "x", "km"},
            {"GEORADIUS", "k", "1", "1", "1", "yd"},
            {"GEORADIUS", "k", "1", "100", "1", "km"},
            {"GEORADIUS", "k", "1", "1", "1000", "km", "COUNT", "0"},
            {"GEORADIUS", "k", "1", "1", "1000", "km", "COUNT", "x"},
            {"GEORADIUS", "k", "1", "1", "1000", "km", "ANY"},
            {"GEORADIUS", "k", "1", "1", "1000", "km", "COUNT"},
            {"GEORADIUS", "k", "1", "1", "1000", "km", "STORE", "d", "WITHDIST"},
            {"GEORADIUS", "k", "1", "1", "1000", "km", "STORE"},
            {"GEORADIUS_RO", "k", "1", "1", "1000", "km", "STORE", "d"},
            {"GEORADIUS", "k", "1", "1", "1000", "km", "FROMMEMBER", "zero"},
            {"GEORADIUS", "k", "0", "0", "1000", "km", "WITHDIST", "WITHHASH", "WITHCOORD", "ASC"},
            {"GEORADIUS", "k", "0", "0", "100000", "km", "WITHHASH", "DESC"},
            {"GEORADIUS", "k", "0", "0", "0", "km", "WITHHASH"},
            {"GEORADIUS", "k", "0", "0", "1000", "km", "STOREDIST", "d"},
            {"ZRANGE", "d", "0", "-1", "WITHSCORES"},
            {"GEORADIUS", "k", "50", "50", "1", "km", "STORE", "d"},
            {"EXISTS", "d"},
            {"GEORADIUSBYMEMBER", "k", "nope", "1", "km"},
            {"GEORADIUSBYMEMBER", "nokey", "nope", "1", "badunit"},
            {"GEORADIUSBYMEMBER", "nokey", "nope", "1", "km", "WITHDIST", "bogus"},
            {"GEORADIUSBYMEMBER", "nokey", "nope", "1", "km", "STORE", "d2"},
            {"GEORADIUSBYMEMBER_RO", "k", "zero", "500", "km", "WITHDIST"},
            {"GEOSEARCH", "k", "FROMMEMBER", "zero", "BYRADIUS", "500", "km"},
            {"GEOSEARCH", "k", "FROMMEMBER", "nope", "BYRADIUS", "500", "km"},
            {"GEOSEARCH", "nokey", "FROMMEMBER", "nope", "BYRADIUS", "500", "km"},
            {"GEOSEARCH", "k", "FROMMEMBER", "zero", "FROMLONLAT", "1", "1", "BYRADIUS", "500", "km"},
            {"GEOSEARCH", "k", "FROMLONLAT", "1", "1", "BYRADIUS", "500", "km", "BYBOX", "1", "1", "km"},
            {"GEOSEARCH", "k", "BYRADIUS", "500", "km", "ASC"},
            {"geosearch", "k", "FROMLONLAT", "1", "1", "ASC", "WITHDIST"},
            {"GEOSEARCH", "k", "FROMLONLAT", "1", "1", "BYBOX", "-1", "1", "km"},
            {"GEOSEARCH", "k", "FROMLONLAT", "1", "1", "BYBOX", "x", "1", "km"},
            {"GEOSEARCH", "k", "FROMLONLAT", "1", "1", "BYBOX", "1", "y", "km"},
            {"GEOSEARCH", "k", "FROMLONLAT", "1", "1", "BYBOX", "1000", "1000", "km", "STOREDIST"},
            {"GEOSEARCH", "k", "FROMLONLAT", "1", "1", "BYBOX", "1000", "1000", "km", "STORE", "x"},
            {"GEOSEARCH", "k", "FROMLONLAT", "1", "1", "BYBOX", "1000", "1000", "km", "COUNT", "1", "ANY", "WITHCOORD"},
            {"GEOSEARCHSTORE", "d", "k", "FROMLONLAT", "1", "1", "BYBOX", "1000", "1000", "km", "WITHDIST"},
            {"GEOSEARCHSTORE", "d", "k", "FROMLONLAT", "1", "1", "BYBOX", "1000", "1000", "km", "STORE", "e"},
            {"GEOSEARCHSTORE", "d", "k", "FROMLONLAT", "1", "1", "BYBOX", "1000", "1000", "km", "STOREDIST"},
            {"ZRANGE", "d", "0", "-1", "WITHSCORES"},
            {"GEOSEARCHSTORE", "d", "nokey", "FROMLONLAT", "1", "1", "BYBOX", "1000", "1000", "km"},
            {"EXISTS", "d"},
            {"GEOSEARCHSTORE", "d", "k", "FROMLONLAT", "1", "1", "BYRADIUS", "0", "km"},
            {"GEOSEARCH", "k", "FROMLONLAT", "0", "0", "BYRADIUS", "0", "m", "WITHDIST"},
            {"GEOSEARCH", "k", "FROMLONLAT", "0", "0", "BYRADIUS", "inf", "m", "WITHDIST"},
            {"GEOSEARCH", "k", "FROMLONLAT", "179", "85", "BYBOX", "40000", "40000", "km"},
        };
        for (String[] cmd : cmds) both(cmd);
        assertThat(mismatches).as("of %d replies", compared).isEmpty();
    }
}
