package io.jkevy.engine.ops;

import io.jkevy.engine.Session;
import io.jkevy.resp.RespWriter;
import io.netty.buffer.Unpooled;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * MONITOR: the clients that receive a line for every command other clients run, in Redis's
 * format {@code +<unix seconds>.<micros> [<db> <addr>] "cmd" "arg" ...}, each argument quoted
 * as Redis's sdscatrepr quotes it. The list is a copy-on-write array, so the per-command cost
 * while nobody monitors is one volatile read ({@link #active}).
 */
public final class Monitors {
    private volatile Session[] monitors = new Session[0];

    /** True while at least one client monitors. */
    public boolean active() { return monitors.length != 0; }

    public synchronized void add(Session s) {
        for (Session m : monitors) if (m == s) return;
        Session[] next = Arrays.copyOf(monitors, monitors.length + 1);
        next[next.length - 1] = s;
        monitors = next;
        s.monitor(true);
    }

    /** Stops {@code s} monitoring (disconnect, RESET); false when it was not. */
    public synchronized boolean remove(Session s) {
        Session[] cur = monitors;
        for (int i = 0; i < cur.length; i++) {
            if (cur[i] != s) continue;
            Session[] next = new Session[cur.length - 1];
            System.arraycopy(cur, 0, next, 0, i);
            System.arraycopy(cur, i + 1, next, i, cur.length - i - 1);
            monitors = next;
            s.monitor(false);
            return true;
        }
        return false;
    }

    public int size() { return monitors.length; }

    /**
     * Sends the line of a command {@code from} ran in database {@code db} to every monitor.
     * The monitor that ran it itself gets the line after its own reply ({@code out}); the
     * others through their connection (any thread).
     */
    void feed(Session from, int db, byte[][] argv, RespWriter out, long unixMicros) {
        byte[] line = line(unixMicros, db, from.connection().remoteAddress(), Redaction.redact(argv));
        for (Session m : monitors) {
            if (m == from) out.raw(line);
            else m.connection().deliver(Unpooled.wrappedBuffer(line));
        }
    }

    /** One monitor line, with its leading '+' and trailing CRLF. */
    static byte[] line(long unixMicros, int db, String addr, byte[][] argv) {
        ByteArrayOutputStream b = new ByteArrayOutputStream(64);
        long secs = unixMicros / 1_000_000, micros = unixMicros % 1_000_000;
        String head = "+" + secs + "." + String.format("%06d", micros) + " [" + db + " " + addr + "]";
        b.writeBytes(head.getBytes(StandardCharsets.US_ASCII));
        for (byte[] a : argv) {
            b.write(' ');
            repr(b, a);
        }
        b.write('\r');
        b.write('\n');
        return b.toByteArray();
    }

    /** {@code a} quoted as MONITOR quotes an argument (for log lines), as ISO-8859-1 text. */
    public static String quote(byte[] a) {
        ByteArrayOutputStream b = new ByteArrayOutputStream(a.length + 2);
        repr(b, a);
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    /**
     * A string in double quotes with backslash escapes: \\ \" \n \r \t \a \b, printable ASCII
     * as is, any other byte as \xhh (lowercase hex).
     */
    static void repr(ByteArrayOutputStream b, byte[] a) {
        b.write('"');
        for (byte x : a) {
            int ch = x & 0xff;
            switch (ch) {
                case '\\' -> { b.write('\\'); b.write('\\'); }
                case '"' -> { b.write('\\'); b.write('"'); }
                case '\n' -> { b.write('\\'); b.write('n'); }
                case '\r' -> { b.write('\\'); b.write('r'); }
                case '\t' -> { b.write('\\'); b.write('t'); }
                case 7 -> { b.write('\\'); b.write('a'); }
                case '\b' -> { b.write('\\'); b.write('b'); }
                default -> {
                    if (ch >= 0x20 && ch <= 0x7e) {
                        b.write(ch);
                    } else {
                        b.write('\\');
                        b.write('x');
                        b.write(HEX[ch >> 4]);
                        b.write(HEX[ch & 15]);
                    }
                }
            }
        }
        b.write('"');
    }
}
