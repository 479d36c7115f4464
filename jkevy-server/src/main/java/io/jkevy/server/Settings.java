package io.jkevy.server;

import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlTable;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Configuration text from a TOML file: every top-level key is a config key with Redis's name
 * ({@code port = 6380}, {@code maxmemory = "1gb"}, {@code appendonly = true}).
 * Tables are refused, so a misplaced setting cannot be silently ignored, except
 * {@code [replication]}, whose keys become {@code replication.<key>}.
 * Values become the text CONFIG SET would take: booleans yes/no, arrays space-joined.
 */
final class Settings {
    private Settings() { }

    static Map<String, String> fromToml(Path file) throws IOException {
        TomlParseResult r = Toml.parse(file);
        if (r.hasErrors()) {
            var e = r.errors().get(0);
            throw new IOException(file + ":" + e.position().line() + ": " + e.getMessage());
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : r.toMap().entrySet()) {
            String k = e.getKey().toLowerCase(java.util.Locale.ROOT);
            if (k.equals("replication") && e.getValue() instanceof TomlTable t) {
                // the one table: [replication] keys become replication.<key>
                for (Map.Entry<String, Object> x : t.toMap().entrySet()) {
                    out.put("replication." + x.getKey().toLowerCase(java.util.Locale.ROOT), text(file, "replication." + x.getKey(), x.getValue()));
                }
                continue;
            }
            out.put(k, text(file, e.getKey(), e.getValue()));
        }
        return out;
    }

    private static String text(Path file, String key, Object v) throws IOException {
        if (v instanceof Boolean b) return b ? "yes" : "no";
        if (v instanceof TomlArray a) {
            StringBuilder sb = new StringBuilder();
            List<Object> items = a.toList();
            for (Object o : items) {
                if (sb.length() > 0) sb.append(' ');
                sb.append(text(file, key, o));
            }
            return sb.toString();
        }
        if (v instanceof TomlTable) throw new IOException(file + ": '" + key + "' is a table; settings are top-level keys");
        return String.valueOf(v);
    }
}
