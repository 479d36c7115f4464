package io.jkevy.engine.script;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

import java.io.ByteArrayOutputStream;
import java.util.Locale;

/**
 * {@code string.format} with C printf semantics as Lua 5.1 has them (LuaJ's own ignores
 * precision for {@code %f} and prints {@code %g} differently): flags {@code -+ #0}, width,
 * precision; conversions {@code d i u c o x X e E f F g G q s %}.
 */
final class LuaFormat {
    private LuaFormat() { }

    static VarArgFunction function() {
        return new VarArgFunction() {
            @Override public Varargs invoke(Varargs a) { return format(a); }
        };
    }

    static LuaValue format(Varargs a) {
        LuaString fmt = a.checkstring(1);
        byte[] f = new byte[fmt.m_length];
        fmt.copyInto(0, f, 0, f.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int arg = 1;
        for (int i = 0; i < f.length; i++) {
            byte c = f[i];
            if (c != '%') {
                out.write(c);
                continue;
            }
            if (++i >= f.length) throw new LuaError("invalid option '%' to 'format'");
            if (f[i] == '%') {
                out.write('%');
                continue;
            }
            int start = i;
            StringBuilder flags = new StringBuilder();
            while (i < f.length && "-+ #0".indexOf(f[i]) >= 0) flags.append((char) f[i++]);
            int width = -1;
            while (i < f.length && f[i] >= '0' && f[i] <= '9') width = (width < 0 ? 0 : width * 10) + (f[i++] - '0');
            int precision = -1;
            if (i < f.length && f[i] == '.') {
                i++;
                precision = 0;
                while (i < f.length && f[i] >= '0' && f[i] <= '9') precision = precision * 10 + (f[i++] - '0');
            }
            if (i - start > 5 || width > 99 || precision > 99) throw new LuaError("invalid format (repeated flags)");
            if (i >= f.length) throw new LuaError("invalid option '%" + new String(f, start, i - start) + "' to 'format'");
            char conv = (char) f[i];
            arg++;
            if (arg > a.narg()) throw new LuaError("bad argument #" + arg + " to 'format' (no value)");
            String fl = flags.toString();
            switch (conv) {
                case 'd', 'i' -> write(out, pad(integer(toLong(a, arg), precision, fl), fl, width, true));
                case 'u' -> write(out, pad(integer(toLong(a, arg), precision, fl), fl, width, true));
                case 'c' -> write(out, pad(String.valueOf((char) ((int) number(a, arg) & 0xff)), fl, width, false));
                case 'o', 'x', 'X' -> {
                    long v = toLong(a, arg);
                    String s = conv == 'o' ? Long.toOctalString(v) : Long.toHexString(v);
                    if (precision >= 0) while (s.length() < precision) s = "0" + s;
                    if (fl.indexOf('#') >= 0 && v != 0) s = (conv == 'o' ? "0" : "0x") + s;
                    if (conv == 'X') s = s.toUpperCase(Locale.ROOT);
                    write(out, pad(s, fl, width, true));
                }
                case 'e', 'E', 'f', 'F' -> {
                    double d = number(a, arg);
                    String s;
                    if (Double.isNaN(d) || Double.isInfinite(d)) {
                        s = Double.isNaN(d) ? "nan" : (d > 0 ? "inf" : "-inf");
                        if (Character.isUpperCase(conv)) s = s.toUpperCase(Locale.ROOT);
                    } else {
                        int p = precision < 0 ? 6 : precision;
                        char lc = Character.toLowerCase(conv);
                        if (lc == 'f') s = fixed(Math.abs(d), p);
                        else if (lc == 'e') s = sci(Math.abs(d), p);
                        else s = String.format(Locale.ROOT, "%" + (precision >= 0 ? "." + precision : "") + "a", Math.abs(d));
                        if (fl.indexOf('#') >= 0 && p == 0 && lc != 'a') s = s.replaceFirst("^(\\d+)", "$1.");
                        if (conv == 'E' || conv == 'A') s = s.toUpperCase(Locale.ROOT);
                        s = sign(d < 0 || (d == 0 && 1 / d < 0), fl) + s;
                    }
                    write(out, pad(s, fl, width, true));
                }
                case 'g', 'G' -> {
                    double d = number(a, arg);
                    String s;
                    if (Double.isNaN(d) || Double.isInfinite(d)) {
                        s = Double.isNaN(d) ? "nan" : (d > 0 ? "inf" : "-inf");
                    } else {
                        s = CjsonLib.formatG(Math.abs(d), precision < 0 ? 6 : Math.max(precision, 1));
                        if (s.startsWith("-")) s = s.substring(1);
                        s = sign(d < 0 || (d == 0 && 1 / d < 0), fl) + s;
                    }
                    if (conv == 'G') s = s.toUpperCase(Locale.ROOT);
                    write(out, pad(s, fl, width, true));
                }
                case 'q' -> {
                    LuaString s = a.checkstring(arg);
                    out.write('"');
                    for (int k = 0; k < s.m_length; k++) {
                        int ch = s.m_bytes[s.m_offset + k] & 0xff;
                        switch (ch) {
                            case '"', '\\' -> { out.write('\\'); out.write(ch); }
                            case '\n' -> { out.write('\\'); out.write('\n'); }
                            case '\r' -> write(out, "\\r");
                            case 0 -> write(out, "\\000");
                            default -> out.write(ch);
                        }
                    }
                    out.write('"');
                }
                case 's' -> {
                    LuaValue v = a.arg(arg);
                    if (arg > a.narg()) throw new LuaError("bad argument #" + arg + " to 'format' (string expected, got no value)");
                    if (v.type() != LuaValue.TSTRING && v.type() != LuaValue.TNUMBER) {
                        throw new LuaError("bad argument #" + arg + " to 'format' (string expected, got " + v.typename() + ")");
                    }
                    byte[] b;
                    if (v.type() == LuaValue.TNUMBER) {
                        b = LuaSandbox.numberToString(v.todouble()).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
                    } else {
                        LuaString s = v.tostring().checkstring();
                        b = new byte[s.m_length];
                        s.copyInto(0, b, 0, b.length);
                    }
                    int n = precision >= 0 ? Math.min(precision, b.length) : b.length;
                    int padN = Math.max(0, width - n);
                    if (fl.indexOf('-') < 0) for (int k = 0; k < padN; k++) out.write(' ');
                    out.write(b, 0, n);
                    if (fl.indexOf('-') >= 0) for (int k = 0; k < padN; k++) out.write(' ');
                }
                default -> throw new LuaError("invalid option '%" + conv + "' to 'format'");
            }
        }
        return LuaValue.valueOf(out.toByteArray());
    }

    private static long toLong(Varargs a, int arg) { return (long) number(a, arg); }

    /** The argument as a number, with Lua 5.1's error texts. */
    static double number(Varargs a, int arg) {
        if (arg > a.narg()) throw new LuaError("bad argument #" + arg + " to 'format' (number expected, got no value)");
        LuaValue v = a.arg(arg);
        if (!v.isnumber()) throw new LuaError("bad argument #" + arg + " to 'format' (number expected, got " + v.typename() + ")");
        return v.todouble();
    }

    /** %.Nf of a non-negative finite value, rounding the exact binary value half-even as glibc does. */
    static String fixed(double d, int precision) {
        return new java.math.BigDecimal(d).setScale(precision, java.math.RoundingMode.HALF_EVEN).toPlainString();
    }

    /** %.Ne of a non-negative finite value. */
    static String sci(double d, int precision) {
        if (d == 0) return (precision > 0 ? "0." + "0".repeat(precision) : "0") + "e+00";
        java.math.BigDecimal bd = new java.math.BigDecimal(d).round(new java.math.MathContext(precision + 1, java.math.RoundingMode.HALF_EVEN));
        int exp = bd.precision() - bd.scale() - 1;
        String digits = bd.unscaledValue().toString();
        while (digits.length() < precision + 1) digits += "0";
        digits = digits.substring(0, precision + 1);
        StringBuilder sb = new StringBuilder().append(digits.charAt(0));
        if (precision > 0) sb.append('.').append(digits, 1, digits.length());
        sb.append('e').append(exp < 0 ? '-' : '+');
        if (Math.abs(exp) < 10) sb.append('0');
        return sb.append(Math.abs(exp)).toString();
    }

    private static String sign(boolean negative, String flags) {
        if (negative) return "-";
        if (flags.indexOf('+') >= 0) return "+";
        if (flags.indexOf(' ') >= 0) return " ";
        return "";
    }

    private static String integer(long v, int precision, String flags) {
        String digits = v == Long.MIN_VALUE ? "9223372036854775808" : Long.toString(Math.abs(v));
        if (precision >= 0) {
            if (precision == 0 && v == 0) digits = "";
            while (digits.length() < precision) digits = "0" + digits;
        }
        return sign(v < 0, flags) + digits;
    }

    /** Pads to {@code width}: left-justified with '-', zero-filled after the sign with '0' (numbers), else spaces. */
    private static String pad(String s, String flags, int width, boolean numeric) {
        if (width <= s.length()) return s;
        int n = width - s.length();
        if (flags.indexOf('-') >= 0) return s + " ".repeat(n);
        if (numeric && flags.indexOf('0') >= 0 && !s.contains("n") && !s.contains("N")) {
            int signLen = !s.isEmpty() && "+- ".indexOf(s.charAt(0)) >= 0 ? 1 : 0;
            if (s.startsWith("0x", signLen) || s.startsWith("0X", signLen)) signLen += 2;
            return s.substring(0, signLen) + "0".repeat(n) + s.substring(signLen);
        }
        return " ".repeat(n) + s;
    }

    private static void write(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    }
}
