package io.jkevy.engine.command.hash;

import io.jkevy.engine.CommandContext;
import io.jkevy.engine.command.HashCommands;
import io.jkevy.engine.command.keys.ScanCommands;
import io.jkevy.engine.util.Glob;
import io.jkevy.resp.RespWriter;
import io.jkevy.store.type.hash.HashValue;

import java.util.ArrayList;
import java.util.List;

/**
 * HSCAN key cursor [MATCH pattern] [COUNT count]. As Redis 7.0: the cursor is checked first,
 * then the key (absent → cursor 0 and no elements, before any option is looked at), then the
 * options; MATCH filters the fields a step collected (so a step may return fewer than COUNT);
 * a packed hash is returned whole with cursor 0 whatever the cursor. The reply is always a
 * flat field, value array, in RESP3 too.
 */
public final class HashScan {
    private HashScan() { }

    public static void hscan(CommandContext c) {
        long cursor = ScanCommands.parseCursor(c.arg(2));
        HashValue h = HashCommands.read(c, c.arg(1));
        RespWriter w = c.out();
        if (h == null) {
            w.arrayHeader(2);
            w.bulk("0");
            w.arrayHeader(0);
            return;
        }
        long count = 10;
        byte[] pattern = null;
        for (int i = 3; i < c.argc(); ) {
            int left = c.argc() - i;
            if (c.argIs(i, "count") && left >= 2) {
                count = c.longArg(i + 1);
                if (count < 1) throw c.syntax();
                i += 2;
            } else if (c.argIs(i, "match") && left >= 2) {
                byte[] p = c.arg(i + 1);
                pattern = p.length == 1 && p[0] == '*' ? null : p;
                i += 2;
            } else {
                throw c.syntax();
            }
        }
        List<byte[]> out = new ArrayList<>();
        final byte[] pat = pattern;
        long next = h.scan(cursor, count, (f, v) -> {
            if (pat != null && !Glob.match(pat, f, false)) return;
            out.add(f);
            out.add(v);
        });
        w.arrayHeader(2);
        w.bulk(Long.toUnsignedString(next));
        w.arrayHeader(out.size());
        for (byte[] b : out) w.bulk(b);
    }
}
