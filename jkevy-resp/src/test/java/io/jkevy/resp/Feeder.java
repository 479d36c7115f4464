package io.jkevy.resp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Test helper: feeds bytes to a parser in chunks the way a connection handler would. */
final class Feeder {

    /** Parsed commands (args as ISO-8859-1 strings, byte-exact) and the error text, if any. */
    record Outcome(List<List<String>> commands, String error) {
    }

    private Feeder() {
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static String str(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    static List<String> args(byte[][] argv) {
        return Arrays.stream(argv).map(Feeder::str).toList();
    }

    /** Multibulk encoding of a command. */
    static String mbulk(String... args) {
        StringBuilder sb = new StringBuilder("*").append(args.length).append("\r\n");
        for (String a : args) {
            sb.append('$').append(bytes(a).length).append("\r\n").append(a).append("\r\n");
        }
        return sb.toString();
    }

    /** Feeds {@code data} split at the given ascending cut positions; parses after each chunk. */
    static Outcome feed(RespLimits limits, byte[] data, int... cuts) {
        RespRequestParser parser = new RespRequestParser(limits);
        ByteBuf cum = Unpooled.buffer();
        List<List<String>> out = new ArrayList<>();
        try {
            int prev = 0;
            int[] bounds = Arrays.copyOf(cuts, cuts.length + 1);
            bounds[cuts.length] = data.length;
            for (int b : bounds) {
                cum.writeBytes(data, prev, b - prev);
                prev = b;
                byte[][] argv;
                while ((argv = parser.parse(cum)) != null) {
                    if (argv.length == 0) {
                        throw new AssertionError("parser returned an empty command");
                    }
                    out.add(args(argv));
                }
                cum.discardSomeReadBytes();
            }
            return new Outcome(out, null);
        } catch (RespProtocolException e) {
            return new Outcome(out, e.getMessage());
        } finally {
            cum.release();
        }
    }

    static Outcome feed(byte[] data, int... cuts) {
        return feed(new RespLimits(), data, cuts);
    }

    static Outcome feed(String data, int... cuts) {
        return feed(bytes(data), cuts);
    }
}
