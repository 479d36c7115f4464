package io.jkevy.resp;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

class RespRequestParserProperties {

    /** A command as both its expected args and its wire encoding. */
    record Cmd(List<String> args, String wire) {
    }

    @Provide
    Arbitrary<List<Cmd>> commands() {
        return command().list().ofMaxSize(30);
    }

    private Arbitrary<Cmd> command() {
        Arbitrary<String> binaryArg = Arbitraries.strings().withCharRange('\0', '\u00ff').ofMaxLength(40);
        Arbitrary<Cmd> multibulk = binaryArg.list().ofMinSize(1).ofMaxSize(6)
                .map(a -> new Cmd(a, Feeder.mbulk(a.toArray(String[]::new))));
        Arbitrary<String> word = Arbitraries.strings().withChars("abcXYZ019:-_").ofMinLength(1).ofMaxLength(12);
        Arbitrary<Cmd> inline = Combinators.combine(word.list().ofMinSize(1).ofMaxSize(5),
                        Arbitraries.of("\n", "\r\n"), Arbitraries.of(" ", "  ", "\t"))
                .as((a, eol, sep) -> new Cmd(a, String.join(sep, a) + eol));
        Arbitrary<Cmd> empty = Arbitraries.of("*0\r\n", "*-1\r\n", "\r\n", "\n", "   \r\n")
                .map(w -> new Cmd(null, w));
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(5, multibulk), net.jqwik.api.Tuple.of(3, inline), net.jqwik.api.Tuple.of(1, empty));
    }

    @Property(tries = 300)
    void randomSplitsYieldTheSameCommands(@ForAll("commands") List<Cmd> cmds, @ForAll long seed) {
        StringBuilder sb = new StringBuilder();
        List<List<String>> expected = new ArrayList<>();
        for (Cmd c : cmds) {
            sb.append(c.wire());
            if (c.args() != null) {
                expected.add(c.args());
            }
        }
        byte[] data = Feeder.bytes(sb.toString());
        Random rnd = new Random(seed);
        int chunks = data.length == 0 ? 0 : rnd.nextInt(Math.min(data.length, 64)) + 1;
        TreeSet<Integer> cuts = new TreeSet<>();
        for (int i = 0; i < chunks; i++) {
            cuts.add(rnd.nextInt(data.length + 1));
        }
        int[] cutArr = cuts.stream().mapToInt(Integer::intValue).toArray();
        Feeder.Outcome split = Feeder.feed(data, cutArr);
        assertThat(split.error()).isNull();
        assertThat(split.commands()).isEqualTo(expected);
        assertThat(Feeder.feed(data)).isEqualTo(split);
    }
}
