package io.jkevy.engine.command.hash;

import io.jkevy.engine.CommandContext;
import io.jkevy.engine.command.HashCommands;
import io.jkevy.engine.command.keys.ScanCommands;
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
            ScanCommands.emptyReply(w);
            return;
        }
        ScanCommands.Options o = ScanCommands.Options.parse(c, 3, false);
        long count = o.count();
        List<byte[]> out = new ArrayList<>();
        long next = h.scan(cursor, count, (f, v) -> {
            if (!o.matches(f)) return;
            out.add(f);
            out.add(v);
        });
        w.arrayHeader(2);
        w.bulk(Long.toUnsignedString(next));
        w.arrayHeader(out.size());
        for (byte[] b : out) w.bulk(b);
    }
}
