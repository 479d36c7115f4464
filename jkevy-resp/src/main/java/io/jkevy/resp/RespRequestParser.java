package io.jkevy.resp;

import io.netty.buffer.ByteBuf;

import java.util.Arrays;
import java.util.Objects;

/**
 * Incremental parser of client requests, following Redis 7 {@code processMultibulkBuffer} and
 * {@code processInlineBuffer}. One instance per connection; not thread-safe.
 *
 * <p>Buffer contract: {@link #parse} consumes (advances the reader index over) exactly the bytes
 * it has fully processed. The caller keeps the unread bytes, appends newly received bytes after
 * them and calls again. A partly received multibulk command is kept as internal state (the
 * completed arguments and the pending bulk length), so a huge command is never re-scanned.
 *
 * <p>Allocation contract: nothing is sized from a count or length announced by the peer before
 * the corresponding bytes have arrived. The argument array grows as elements complete, and a
 * bulk's {@code byte[]} is allocated only once the bulk and its trailing CRLF are readable.
 *
 * <p>Framing decisions depend only on the byte content, never on how it was fragmented: a
 * {@code *} or {@code $} line fails as "too big" exactly when its CR is not within its first
 * 64 KiB + 1 bytes, and an inline line exactly when its LF is not within its first
 * {@code maxInlineLen + 2} bytes (so {@code maxInlineLen} bytes of content plus CRLF fit). Redis
 * decides on whatever happens to be buffered, so it can differ from this only when a longer
 * line arrives in one piece.
 *
 * <p>Stricter than Redis: the byte after a count line's CR must be LF, and a bulk must be
 * followed by CRLF; Redis skips those two bytes unchecked. Both fail with
 * "invalid bulk length" (or "invalid multibulk length" for the {@code *} line).
 */
public final class RespRequestParser {

    /** Redis PROTO_INLINE_MAX_SIZE, which also bounds the {@code *} and {@code $} count lines. */
    static final int MAX_COUNT_LINE = 64 * 1024;

    /** Largest bulk we can hold in one Java array together with its CRLF. */
    private static final long MAX_ARRAY_BULK = Integer.MAX_VALUE - 16;

    private static final int INITIAL_ARGV = 16;

    /** Marker returned internally for "a complete but empty command was skipped". */
    private static final byte[][] SKIPPED = new byte[0][];

    private static final String ERR_MBULK_COUNT = "ERR Protocol error: invalid multibulk length";
    private static final String ERR_BULK_LEN = "ERR Protocol error: invalid bulk length";
    private static final String ERR_BIG_MBULK = "ERR Protocol error: too big mbulk count string";
    private static final String ERR_BIG_BULK = "ERR Protocol error: too big bulk count string";
    private static final String ERR_BIG_INLINE = "ERR Protocol error: too big inline request";
    private static final String ERR_QUOTES = "ERR Protocol error: unbalanced quotes in request";

    private final RespLimits limits;

    // Multibulk state. argv == null means "at a command boundary".
    private byte[][] argv;
    private int argc;
    private int expected;
    /** Length of the bulk whose header was consumed, or -1 when a {@code $} line is next. */
    private long bulkLen = -1;

    /**
     * Bytes after the reader index already searched for a line terminator without success.
     * Valid only while the reader index does not move, which holds because a line is consumed
     * as a whole; it avoids quadratic rescans of a slowly arriving long line.
     */
    private int scanned;

    public RespRequestParser(RespLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /** Forgets any partially parsed command. */
    public void reset() {
        argv = null;
        argc = 0;
        expected = 0;
        bulkLen = -1;
        scanned = 0;
    }

    /**
     * Returns the arguments of the next complete command (never empty; every element is a
     * fresh array owned by the caller), or {@code null} when more bytes are needed.
     *
     * @throws RespProtocolException on a protocol violation; the connection must be closed
     */
    public byte[][] parse(ByteBuf in) {
        for (;;) {
            if (argv == null) {
                if (!in.isReadable()) {
                    return null;
                }
                if (in.getByte(in.readerIndex()) == '*') {
                    int r = startMultibulk(in);
                    if (r < 0) {
                        return null;
                    }
                    if (r == 0) {
                        continue; // "*0" or "*-1": nothing to run
                    }
                } else {
                    byte[][] cmd = parseInline(in);
                    if (cmd == null) {
                        return null;
                    }
                    if (cmd == SKIPPED) {
                        continue;
                    }
                    return cmd;
                }
            }
            return continueMultibulk(in);
        }
    }

    /**
     * Finds the CR of a count line starting at the reader index. Returns its absolute index,
     * -1 if more bytes are needed, or throws {@code tooBig} when the line cannot end within
     * {@link #MAX_COUNT_LINE} bytes.
     */
    private int findCountLineEnd(ByteBuf in, String tooBig) {
        int start = in.readerIndex();
        int readable = in.readableBytes();
        int searchEnd = start + Math.min(readable, MAX_COUNT_LINE + 1);
        int cr = in.indexOf(start + scanned, searchEnd, (byte) '\r');
        if (cr < 0) {
            if (readable > MAX_COUNT_LINE) {
                throw new RespProtocolException(tooBig);
            }
            scanned = readable;
            return -1;
        }
        if (cr + 1 >= start + readable) {
            scanned = cr - start; // the CR is found again next time, then its LF is checked
            return -1;
        }
        scanned = 0;
        return cr;
    }

    /** @return -1 need more, 0 empty command consumed, 1 multibulk started */
    private int startMultibulk(ByteBuf in) {
        int start = in.readerIndex();
        int cr = findCountLineEnd(in, ERR_BIG_MBULK);
        if (cr < 0) {
            return -1;
        }
        if (in.getByte(cr + 1) != '\n') {
            throw new RespProtocolException(ERR_MBULK_COUNT);
        }
        long count = AsciiNumbers.parseLong(in, start + 1, cr);
        if (count == AsciiNumbers.INVALID || count > limits.maxMultibulkLen() || count > Integer.MAX_VALUE) {
            throw new RespProtocolException(ERR_MBULK_COUNT);
        }
        in.readerIndex(cr + 2);
        if (count <= 0) {
            return 0;
        }
        expected = (int) count;
        argv = new byte[Math.min(expected, INITIAL_ARGV)][];
        argc = 0;
        bulkLen = -1;
        return 1;
    }

    private byte[][] continueMultibulk(ByteBuf in) {
        while (argc < expected) {
            if (bulkLen < 0) {
                if (!in.isReadable()) {
                    return null;
                }
                int start = in.readerIndex();
                int cr = findCountLineEnd(in, ERR_BIG_BULK);
                if (cr < 0) {
                    return null;
                }
                byte first = in.getByte(start);
                if (first != '$') {
                    throw new RespProtocolException(
                            "ERR Protocol error: expected '$', got '" + (char) (first & 0xFF) + "'");
                }
                if (in.getByte(cr + 1) != '\n') {
                    throw new RespProtocolException(ERR_BULK_LEN);
                }
                long len = AsciiNumbers.parseLong(in, start + 1, cr);
                if (len == AsciiNumbers.INVALID || len < 0 || len > limits.maxBulkLen() || len > MAX_ARRAY_BULK) {
                    throw new RespProtocolException(ERR_BULK_LEN);
                }
                in.readerIndex(cr + 2);
                bulkLen = len;
            }
            int len = (int) bulkLen;
            if (in.readableBytes() < len + 2) {
                return null;
            }
            int at = in.readerIndex();
            if (in.getByte(at + len) != '\r' || in.getByte(at + len + 1) != '\n') {
                throw new RespProtocolException(ERR_BULK_LEN);
            }
            byte[] arg = new byte[len];
            in.getBytes(at, arg);
            in.readerIndex(at + len + 2);
            if (argc == argv.length) {
                // growth is bounded by arrived elements, never by the announced count alone
                argv = Arrays.copyOf(argv, (int) Math.min((long) argv.length * 2, expected));
            }
            argv[argc++] = arg;
            bulkLen = -1;
        }
        byte[][] done = argv;
        argv = null;
        argc = 0;
        expected = 0;
        return done;
    }

    /** @return the command, {@link #SKIPPED} for a blank line, or null when more bytes are needed */
    private byte[][] parseInline(ByteBuf in) {
        int start = in.readerIndex();
        int readable = in.readableBytes();
        int max = limits.maxInlineLen();
        // the LF may sit at offset max + 1, so a line of exactly max bytes plus CRLF is accepted
        int searchEnd = start + (int) Math.min(readable, (long) max + 2);
        int lf = in.indexOf(start + Math.min(scanned, searchEnd - start), searchEnd, (byte) '\n');
        if (lf < 0) {
            if (readable > max + 1L) {
                throw new RespProtocolException(ERR_BIG_INLINE);
            }
            scanned = readable;
            return null;
        }
        scanned = 0;
        int end = lf;
        if (end > start && in.getByte(end - 1) == '\r') {
            end--;
        }
        byte[][] args = splitArgs(in, start, end);
        in.readerIndex(lf + 1);
        return args.length == 0 ? SKIPPED : args;
    }

    // ---------------------------------------------------------------------------------------
    // Inline splitting with the rules of Redis sdssplitargs. A NUL byte ends the line there,
    // as it does for the C string that Redis scans.

    private static boolean isSpace(int c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x0B || c == '\f';
    }

    private static boolean isHex(int c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static int hexValue(int c) {
        if (c <= '9') {
            return c - '0';
        }
        return (c | 0x20) - 'a' + 10;
    }

    static byte[][] splitArgs(ByteBuf in, int from, int to) {
        int nul = in.indexOf(from, to, (byte) 0);
        if (nul >= 0) {
            to = nul;
        }
        byte[][] out = new byte[4][];
        int n = 0;
        byte[] cur = new byte[Math.max(16, Math.min(to - from, 1024))];
        int p = from;
        for (;;) {
            while (p < to && isSpace(in.getByte(p))) {
                p++;
            }
            if (p >= to) {
                break;
            }
            int curLen = 0;
            boolean inDouble = false;
            boolean inSingle = false;
            boolean done = false;
            while (!done) {
                int c = p < to ? in.getByte(p) & 0xFF : -1;
                int next = p + 1 < to ? in.getByte(p + 1) & 0xFF : -1;
                int add = -1;
                if (inDouble) {
                    if (c == '\\' && next == 'x' && p + 3 < to
                            && isHex(in.getByte(p + 2)) && isHex(in.getByte(p + 3))) {
                        add = hexValue(in.getByte(p + 2)) * 16 + hexValue(in.getByte(p + 3));
                        p += 3;
                    } else if (c == '\\' && next != -1) {
                        p++;
                        add = switch (next) {
                            case 'n' -> '\n';
                            case 'r' -> '\r';
                            case 't' -> '\t';
                            case 'b' -> '\b';
                            case 'a' -> 7;
                            default -> next;
                        };
                    } else if (c == '"') {
                        // the closing quote must be followed by a space or the end of the line
                        if (next != -1 && !isSpace(next)) {
                            throw new RespProtocolException(ERR_QUOTES);
                        }
                        done = true;
                    } else if (c == -1) {
                        throw new RespProtocolException(ERR_QUOTES);
                    } else {
                        add = c;
                    }
                } else if (inSingle) {
                    if (c == '\\' && next == '\'') {
                        p++;
                        add = '\'';
                    } else if (c == '\'') {
                        if (next != -1 && !isSpace(next)) {
                            throw new RespProtocolException(ERR_QUOTES);
                        }
                        done = true;
                    } else if (c == -1) {
                        throw new RespProtocolException(ERR_QUOTES);
                    } else {
                        add = c;
                    }
                } else {
                    switch (c) {
                        case ' ', '\n', '\r', '\t', -1 -> done = true;
                        case '"' -> inDouble = true;
                        case '\'' -> inSingle = true;
                        default -> add = c;
                    }
                }
                if (add >= 0) {
                    if (curLen == cur.length) {
                        cur = Arrays.copyOf(cur, cur.length * 2);
                    }
                    cur[curLen++] = (byte) add;
                }
                if (c != -1) {
                    p++;
                }
            }
            if (n == out.length) {
                out = Arrays.copyOf(out, n * 2);
            }
            out[n++] = Arrays.copyOf(cur, curLen);
        }
        return n == out.length ? out : Arrays.copyOf(out, n);
    }
}
