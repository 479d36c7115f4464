package io.jkevy.engine.command;

import io.jkevy.engine.Args;
import io.jkevy.engine.CommandContext;
import io.jkevy.engine.command.string.Bits;
import io.jkevy.resp.RespWriter;
import io.jkevy.store.Db;

import java.nio.charset.StandardCharsets;

/**
 * Bit commands (Redis group "bitmap") over strings. Stored strings are never changed in place
 * (a snapshot or reply may still hold them): a write builds a new array, grown with zero
 * bytes to cover the highest bit it writes, and stores it keeping the key's TTL.
 */
public final class BitCommands {
    private BitCommands() { }

    private static final byte[] DEL = "DEL".getBytes(StandardCharsets.US_ASCII);
    private static final String BIT_ARG = "ERR The bit argument must be 1 or 0.";
    private static final String NOT_SINGLE = "ERR BITOP NOT must be called with a single source key.";
    private static final String BAD_TYPE =
            "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.";
    private static final String BAD_OVERFLOW = "ERR Invalid OVERFLOW type specified";
    private static final String RO_ONLY_GET = "ERR BITFIELD_RO only supports the GET subcommand";

    public static void register(CommandTable t) {
        t.add("setbit", 4, "write denyoom", 1, 1, 1, "@write @bitmap @slow", "bitmap", "2.2.0",
                "Sets or clears the bit at offset of the string value. Creates the key if it doesn't exist.",
                BitCommands::setbit);
        t.add("getbit", 3, "readonly fast", 1, 1, 1, "@read @bitmap @fast", "bitmap", "2.2.0",
                "Returns a bit value by offset.", BitCommands::getbit);
        t.add("bitcount", -2, "readonly", 1, 1, 1, "@read @bitmap @slow", "bitmap", "2.6.0",
                "Counts the number of set bits (population counting) in a string.", BitCommands::bitcount);
        t.add("bitpos", -3, "readonly", 1, 1, 1, "@read @bitmap @slow", "bitmap", "2.8.7",
                "Finds the first set (1) or clear (0) bit in a string.", BitCommands::bitpos);
        t.add("bitop", -4, "write denyoom", 2, -1, 1, "@write @bitmap @slow", "bitmap", "2.6.0",
                "Performs bitwise operations on multiple strings, and stores the result.", BitCommands::bitop);
        t.add("bitfield", -2, "write denyoom", 1, 1, 1, "@write @bitmap @slow", "bitmap", "3.2.0",
                "Performs arbitrary bitfield integer operations on strings.", BitCommands::bitfield);
        t.add("bitfield_ro", -2, "readonly fast", 1, 1, 1, "@read @bitmap @fast", "bitmap", "6.0.0",
                "Performs arbitrary read-only bitfield integer operations on strings.", BitCommands::bitfieldRo);
    }

    /**
     * A bit offset argument: non-negative, its byte below proto-max-bulk-len. With
     * {@code bits > 0} a leading '#' multiplies the number by {@code bits} (BITFIELD).
     */
    private static long bitOffset(CommandContext c, byte[] arg, int bits) {
        boolean hash = bits > 0 && arg.length > 0 && arg[0] == '#';
        byte[] digits = hash ? java.util.Arrays.copyOfRange(arg, 1, arg.length) : arg;
        long off = Args.parseLong(digits, Errors.BIT_OFFSET);
        if (hash) {
            try {
                off = Math.multiplyExact(off, bits);
            } catch (ArithmeticException e) {
                throw CommandContext.error(Errors.BIT_OFFSET);
            }
        }
        if (off < 0 || (off >>> 3) >= StringCommands.maxStringLength(c)) throw CommandContext.error(Errors.BIT_OFFSET);
        return off;
    }

    /** A copy of {@code old} (null = absent) at least {@code len} bytes long, zero-padded. */
    private static byte[] grown(byte[] old, int len) {
        if (old == null) return new byte[len];
        return java.util.Arrays.copyOf(old, Math.max(old.length, len));
    }

    // ---- SETBIT / GETBIT ----------------------------------------------------------------

    static void setbit(CommandContext c) {
        long off = bitOffset(c, c.arg(2), 0);
        long on = Args.parseLong(c.arg(3), Errors.BIT_VALUE);
        if ((on & ~1L) != 0) throw CommandContext.error(Errors.BIT_VALUE);
        byte[] key = c.arg(1);
        byte[] old = StringCommands.writeString(c, key);
        int idx = (int) (off >>> 3);
        int shift = 7 - (int) (off & 7);
        int prev = old != null && idx < old.length ? (old[idx] >> shift) & 1 : 0;
        boolean grows = old == null || idx >= old.length;
        if (prev != on || grows) {
            byte[] now = grown(old, idx + 1);
            if (on == 1) now[idx] |= (byte) (1 << shift); else now[idx] &= (byte) ~(1 << shift);
            c.db().putKeepTtl(key, now);
            c.propagateAsIs(key);
        }
        c.out().integer(prev);
    }

    static void getbit(CommandContext c) {
        long off = bitOffset(c, c.arg(2), 0);
        byte[] v = StringCommands.readString(c, c.arg(1));
        long idx = off >>> 3;
        int bit = v != null && idx < v.length ? (v[(int) idx] >> (7 - (int) (off & 7))) & 1 : 0;
        c.out().integer(bit);
    }

    // ---- BITCOUNT / BITPOS --------------------------------------------------------------

    /**
     * The bytes a BITCOUNT/BITPOS range covers, with masks of the bits outside the range in
     * the first and last byte (BIT unit); {@link #of} returns null for an empty range.
     * Negative positions count from the end, as Redis's.
     */
    record ByteRange(int start, int end, int firstMask, int lastMask) {
        static ByteRange of(long start, long end, int length, boolean isBit) {
            long total = isBit ? (long) length << 3 : length;
            if (start < 0) start = total + start;
            if (end < 0) end = total + end;
            if (start < 0) start = 0;
            if (end < 0) end = 0;
            if (end >= total) end = total - 1;
            int firstMask = 0, lastMask = 0;
            if (isBit && start <= end) {
                firstMask = ~((1 << (8 - (int) (start & 7))) - 1) & 0xff;
                lastMask = (1 << (7 - (int) (end & 7))) - 1;
                start >>= 3;
                end >>= 3;
            }
            return start > end ? null : new ByteRange((int) start, (int) end, firstMask, lastMask);
        }
    }

    /** BYTE (false) or BIT (true) unit argument. */
    private static boolean unitIsBit(CommandContext c, int i) {
        if (c.argIs(i, "bit")) return true;
        if (c.argIs(i, "byte")) return false;
        throw c.syntax();
    }

    static void bitcount(CommandContext c) {
        final int argc = c.argc();
        long start = 0, end = 0;
        boolean isBit = false, range = false;
        if (argc == 4 || argc == 5) {
            start = c.longArg(2);
            end = c.longArg(3);
            if (argc == 5) isBit = unitIsBit(c, 4);
            range = true;
        } else if (argc != 2) {
            throw c.syntax();
        }
        byte[] v = StringCommands.readString(c, c.arg(1));
        if (v == null) {
            c.out().integer(0);
            return;
        }
        if (range && start < 0 && end < 0 && start > end) {
            c.out().integer(0);
            return;
        }
        ByteRange r = range ? ByteRange.of(start, end, v.length, isBit) : ByteRange.of(0, v.length - 1L, v.length, false);
        if (r == null) {
            c.out().integer(0);
            return;
        }
        long n = Bits.popcount(v, r.start, r.end);
        if (r.firstMask != 0) n -= Integer.bitCount(v[r.start] & r.firstMask);
        if (r.lastMask != 0) n -= Integer.bitCount(v[r.end] & r.lastMask);
        c.out().integer(n);
    }
    static void bitpos(CommandContext c) {
        final int argc = c.argc();
        long bit = c.longArg(2);
        if (bit != 0 && bit != 1) throw CommandContext.error(BIT_ARG);
        long start = 0, end = 0;
        boolean endGiven = false, isBit = false;
        if (argc >= 4 && argc <= 6) {
            start = c.longArg(3);
            if (argc == 6) isBit = unitIsBit(c, 5);
            if (argc >= 5) {
                end = c.longArg(4);
                endGiven = true;
            }
        } else if (argc != 3) {
            throw c.syntax();
        }
        byte[] v = StringCommands.readString(c, c.arg(1));
        if (v == null) {
            c.out().integer(bit == 1 ? -1 : 0);
            return;
        }
        ByteRange r;
        if (argc >= 4) {
            long total = isBit ? (long) v.length << 3 : v.length;
            r = ByteRange.of(start, endGiven ? end : total - 1, v.length, isBit);
        } else {
            r = ByteRange.of(0, v.length - 1L, v.length, false);
        }
        if (r == null) {
            c.out().integer(-1);
            return;
        }
        int firstMask = r.firstMask, lastMask = r.lastMask;
        start = r.start;
        end = r.end;
        int from = (int) start, count = (int) (end - start + 1);
        long pos;
        if (firstMask == 0 && lastMask == 0) {
            pos = Bits.firstBit(v, from, count, (int) bit);
        } else {
            // search a copy whose out-of-range edge bits cannot match
            byte[] w = java.util.Arrays.copyOfRange(v, from, from + count);
            int last = count - 1;
            if (bit == 1) {
                w[0] &= (byte) ~firstMask;
                w[last] &= (byte) ~lastMask;
            } else {
                w[0] |= (byte) firstMask;
                w[last] |= (byte) lastMask;
            }
            pos = Bits.firstBit(w, 0, count, (int) bit);
        }
        // with an explicit end, no clear bit in range means -1, not "the first bit after it"
        if (endGiven && bit == 0 && pos == (long) count << 3) {
            c.out().integer(-1);
            return;
        }
        if (pos != -1) pos += start << 3;
        c.out().integer(pos);
    }

    // ---- BITOP --------------------------------------------------------------------------

    static void bitop(CommandContext c) {
        final int AND = 0, OR = 1, XOR = 2, NOT = 3;
        int op;
        if (c.argIs(1, "and")) op = AND;
        else if (c.argIs(1, "or")) op = OR;
        else if (c.argIs(1, "xor")) op = XOR;
        else if (c.argIs(1, "not")) op = NOT;
        else throw c.syntax();
        final int argc = c.argc();
        if (op == NOT && argc != 4) throw CommandContext.error(NOT_SINGLE);
        int n = argc - 3;
        byte[][] src = new byte[n][];
        int maxLen = 0;
        for (int i = 0; i < n; i++) {
            byte[] v = StringCommands.readString(c, c.arg(3 + i));
            src[i] = v;
            if (v != null) maxLen = Math.max(maxLen, v.length);
        }
        byte[] dest = c.arg(2);
        Db db = c.db();
        if (maxLen == 0) {
            if (db.remove(dest)) {
                c.propagate(DEL, dest);
                c.touched(dest);
            }
            c.out().integer(0);
            return;
        }
        byte[] r = new byte[maxLen];
        if (op == NOT) {
            byte[] s = src[0];
            for (int i = 0; i < maxLen; i++) r[i] = (byte) ~s[i];
        } else {
            byte[] s0 = src[0];
            if (s0 != null) System.arraycopy(s0, 0, r, 0, s0.length);   // missing bytes are zero
            for (int k = 1; k < n; k++) {
                byte[] s = src[k];
                int len = s == null ? 0 : s.length;
                switch (op) {
                    case AND -> {
                        for (int i = 0; i < len; i++) r[i] &= s[i];
                        java.util.Arrays.fill(r, len, maxLen, (byte) 0);
                    }
                    case OR -> { for (int i = 0; i < len; i++) r[i] |= s[i]; }
                    default -> { for (int i = 0; i < len; i++) r[i] ^= s[i]; }
                }
            }
        }
        db.put(dest, r);
        c.propagateAsIs(dest);
        c.out().integer(maxLen);
    }

    // ---- BITFIELD -----------------------------------------------------------------------

    private static final int OP_GET = 0, OP_SET = 1, OP_INCRBY = 2;

    static void bitfield(CommandContext c) { bitfieldGeneric(c, false); }

    static void bitfieldRo(CommandContext c) { bitfieldGeneric(c, true); }

    /** One parsed operation: opcode, signedness, width, bit offset, argument, overflow policy. */
    private record Op(int code, boolean signed, int bits, long offset, long arg, int policy) { }

    private static void bitfieldGeneric(CommandContext c, boolean readonly) {
        final int argc = c.argc();
        java.util.List<Op> ops = new java.util.ArrayList<>();
        int policy = Bits.WRAP;
        boolean writes = false;
        long highestWrite = 0;
        for (int j = 2; j < argc; j++) {
            int rem = argc - j - 1;
            int code;
            if (c.argIs(j, "get") && rem >= 2) code = OP_GET;
            else if (c.argIs(j, "set") && rem >= 3) code = OP_SET;
            else if (c.argIs(j, "incrby") && rem >= 3) code = OP_INCRBY;
            else if (c.argIs(j, "overflow") && rem >= 1) {
                j++;
                if (c.argIs(j, "wrap")) policy = Bits.WRAP;
                else if (c.argIs(j, "sat")) policy = Bits.SAT;
                else if (c.argIs(j, "fail")) policy = Bits.FAIL;
                else throw CommandContext.error(BAD_OVERFLOW);
                continue;
            } else {
                throw c.syntax();
            }
            byte[] type = c.arg(j + 1);
            boolean signed;
            if (type.length > 0 && type[0] == 'i') signed = true;
            else if (type.length > 0 && type[0] == 'u') signed = false;
            else throw CommandContext.error(BAD_TYPE);
            long bits = Args.parseLongOr(java.util.Arrays.copyOfRange(type, 1, type.length), -1, true);
            if (bits < 1 || (signed && bits > 64) || (!signed && bits > 63)) throw CommandContext.error(BAD_TYPE);
            long offset = bitOffset(c, c.arg(j + 2), (int) bits);
            long arg = 0;
            if (code != OP_GET) {
                if (readonly) throw CommandContext.error(RO_ONLY_GET);
                arg = c.longArg(j + 3);
                writes = true;
                highestWrite = Math.max(highestWrite, offset + bits - 1);
                j += 3;
            } else {
                j += 2;
            }
            ops.add(new Op(code, signed, (int) bits, offset, arg, policy));
        }

        byte[] key = c.arg(1);
        byte[] p;
        boolean grew = false;
        if (writes) {
            byte[] old = StringCommands.writeString(c, key);
            int need = (int) (highestWrite >>> 3) + 1;
            p = grown(old, need);
            grew = old == null || old.length < need;
        } else {
            p = StringCommands.readString(c, key);
            if (p == null) p = new byte[0];
        }

        RespWriter out = c.out();
        out.arrayHeader(ops.size());
        long[] limit = new long[1];
        int changes = 0;
        for (Op op : ops) {
            if (op.code == OP_GET) {
                out.integer(op.signed ? Bits.getSigned(p, op.offset, op.bits) : Bits.getUnsigned(p, op.offset, op.bits));
                continue;
            }
            long old = op.signed ? Bits.getSigned(p, op.offset, op.bits) : Bits.getUnsigned(p, op.offset, op.bits);
            long value, reply;
            int overflow;
            if (op.code == OP_INCRBY) {
                overflow = op.signed ? Bits.signedOverflow(old, op.arg, op.bits, op.policy, limit)
                        : Bits.unsignedOverflow(old, op.arg, op.bits, op.policy, limit);
                value = overflow != 0 ? limit[0] : old + op.arg;
                reply = value;
            } else {
                overflow = op.signed ? Bits.signedOverflow(op.arg, 0, op.bits, op.policy, limit)
                        : Bits.unsignedOverflow(op.arg, 0, op.bits, op.policy, limit);
                value = overflow != 0 ? limit[0] : op.arg;
                reply = old;
            }
            if (overflow != 0 && op.policy == Bits.FAIL) {
                out.nullBulk();
                continue;
            }
            Bits.set(p, op.offset, op.bits, value);
            out.integer(reply);
            changes++;
        }
        if (writes && (changes > 0 || grew)) {
            c.db().putKeepTtl(key, p);
            c.propagateAsIs(key);
        }
    }
}
