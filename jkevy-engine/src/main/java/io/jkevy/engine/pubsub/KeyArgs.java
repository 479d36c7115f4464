package io.jkevy.engine.pubsub;

import io.jkevy.engine.Args;
import io.jkevy.engine.command.CommandFlags;
import io.jkevy.engine.command.CommandSpec;

import java.util.function.Consumer;

/**
 * The key arguments of a read command, for tracking and keymiss: the table's fixed positions,
 * plus the movable-key read commands whose keys follow a numkeys argument (ZUNION, ZINTER,
 * ZDIFF, SINTERCARD, ZINTERCARD) or the STREAMS word (XREAD).
 */
final class KeyArgs {
    private KeyArgs() { }

    static void forEach(CommandSpec spec, byte[][] argv, Consumer<byte[]> visit) {
        if (!spec.has(CommandFlags.MOVABLEKEYS)) {
            if (spec.firstKey() <= 0) return;
            int last = spec.lastKeyIndex(argv.length);
            int step = Math.max(1, spec.step());
            for (int i = spec.firstKey(); i <= last; i += step) visit.accept(argv[i]);
            return;
        }
        switch (spec.name()) {
            case "zunion", "zinter", "zdiff", "sintercard", "zintercard" -> {
                if (argv.length < 2) return;
                long n = Args.parseLongOr(argv[1], -1, true);
                for (int i = 2; n > 0 && i < argv.length && i < 2 + n; i++) visit.accept(argv[i]);
            }
            case "xread" -> {
                for (int i = 1; i < argv.length; i++) {
                    if (Args.is(argv[i], "streams")) {
                        int n = (argv.length - i - 1) / 2;
                        for (int j = 0; j < n; j++) visit.accept(argv[i + 1 + j]);
                        return;
                    }
                }
            }
            default -> { }
        }
    }
}
