package io.jkevy.server;

import org.junit.jupiter.api.Test;
import redis.clients.jedis.resps.Tuple;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The large sorted-set encoding (an order-statistics B+tree reported as "skiplist") through a
 * real client: random updates, ranks, score and lex ranges and removals against a Java model.
 */
class LargeSortedSetClientTest extends JedisServerTestBase {
    private record E(String m, double s) { }

    private static final Comparator<E> ORDER = Comparator.comparingDouble(E::s).thenComparing(E::m);

    private static List<E> sorted(Map<String, Double> model) {
        List<E> l = new ArrayList<>();
        model.forEach((m, s) -> l.add(new E(m, s)));
        l.sort(ORDER); // ASCII members: String order is the byte order
        return l;
    }

    private static List<String> members(List<E> l) { return l.stream().map(E::m).toList(); }

    @Test
    void updatesRanksAndRangesMatchAModel() {
        Random r = new Random(3);
        Map<String, Double> model = new HashMap<>();
        Map<String, Double> batch = new HashMap<>();
        for (int i = 0; i < 3000; i++) {
            String m = String.format("m%05d", i);
            double s = r.nextInt(200);
            batch.put(m, s);
            model.put(m, s);
            if (batch.size() == 500) {
                jedis.zadd("z", batch);
                batch.clear();
            }
        }
        assertThat(jedis.objectEncoding("z")).isEqualTo("skiplist");
        for (int i = 0; i < 2000; i++) { // updates of random members (the redis-benchmark ZADD)
            String m = String.format("m%05d", r.nextInt(3000));
            double s = r.nextInt(200) + (r.nextBoolean() ? 0.5 : 0);
            assertThat(jedis.zadd("z", s, m)).isZero();
            model.put(m, s);
        }
        List<E> want = sorted(model);
        assertThat(jedis.zcard("z")).isEqualTo(3000);
        assertThat(jedis.zrange("z", 0, -1)).containsExactlyElementsOf(members(want));
        for (int q = 0; q < 50; q++) {
            int i = r.nextInt(want.size());
            assertThat(jedis.zrank("z", want.get(i).m())).isEqualTo(i);
            assertThat(jedis.zrevrank("z", want.get(i).m())).isEqualTo(want.size() - 1 - i);
            assertThat(jedis.zscore("z", want.get(i).m())).isEqualTo(want.get(i).s());
        }
        // score ranges: exclusive, inclusive and infinite bounds
        assertThat(jedis.zrangeByScore("z", "(10", "20"))
                .containsExactlyElementsOf(members(want.stream().filter(e -> e.s() > 10 && e.s() <= 20).toList()));
        assertThat(jedis.zcount("z", "-inf", "(50.5"))
                .isEqualTo(want.stream().filter(e -> e.s() < 50.5).count());
        List<Tuple> rev = jedis.zrevrangeByScoreWithScores("z", "+inf", "(190");
        List<E> top = want.stream().filter(e -> e.s() > 190).toList().reversed();
        assertThat(rev).extracting(Tuple::getElement).containsExactlyElementsOf(members(top));
        // removals by rank and by score
        assertThat(jedis.zremrangeByRank("z", 0, 99)).isEqualTo(100);
        want = new ArrayList<>(want.subList(100, want.size()));
        long gone = want.stream().filter(e -> e.s() >= 100 && e.s() < 150).count();
        assertThat(jedis.zremrangeByScore("z", "100", "(150")).isEqualTo(gone);
        want.removeIf(e -> e.s() >= 100 && e.s() < 150);
        assertThat(jedis.zrange("z", 0, -1)).containsExactlyElementsOf(members(want));
        assertThat(jedis.objectEncoding("z")).isEqualTo("skiplist");
    }

    @Test
    void lexRangesOnALargeSetOfEqualScores() {
        Map<String, Double> all = new HashMap<>();
        for (int i = 0; i < 1000; i++) all.put(String.format("k%04d", i), 0.0);
        jedis.zadd("lex", all);
        assertThat(jedis.objectEncoding("lex")).isEqualTo("skiplist");
        assertThat(jedis.zrangeByLex("lex", "[k0100", "(k0110"))
                .containsExactly("k0100", "k0101", "k0102", "k0103", "k0104", "k0105", "k0106", "k0107", "k0108", "k0109");
        assertThat(jedis.zlexcount("lex", "-", "+")).isEqualTo(1000);
        assertThat(jedis.zlexcount("lex", "(k0500", "+")).isEqualTo(499);
        assertThat(jedis.zremrangeByLex("lex", "-", "(k0900")).isEqualTo(900);
        assertThat(jedis.zrank("lex", "k0900")).isZero();
        // the store of a small result converts back to listpack
        assertThat(jedis.zunionstore("small", "lex")).isEqualTo(100);
        assertThat(jedis.objectEncoding("small")).isEqualTo("listpack");
        assertThat(jedis.zrange("small", 0, 0)).containsExactly("k0900");
    }
}
