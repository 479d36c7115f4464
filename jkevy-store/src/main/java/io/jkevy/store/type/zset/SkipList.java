package io.jkevy.store.type.zset;

import java.util.concurrent.ThreadLocalRandom;

/**
 * A skip list ordered by (score, member) with span counts on every forward link, so rank
 * lookups and rank-of-bound queries cost O(log n) expected. Members are unique only because
 * the owning {@link ZSetValue} guarantees it (it keeps the member→node map).
 *
 * <p>Invariant: {@code span[i]} of a node is the number of level-0 steps its
 * {@code next[i]} link skips (for a null link: the steps to one past the last element).
 * Ranks are 0-based here.
 */
final class SkipList {
    static final int MAX_LEVEL = 32;

    static final class Node {
        final byte[] member;
        double score;
        Node prev;
        final Node[] next;
        final int[] span;

        Node(int level, double score, byte[] member) {
            this.member = member;
            this.score = score;
            this.next = new Node[level];
            this.span = new int[level];
        }
    }

    final Node head = new Node(MAX_LEVEL, 0, null);
    Node tail;
    int level = 1;
    int size;

    private static int randomLevel() {
        // p = 1/4 per level, as Redis: two random bits per level
        int lvl = 1;
        long r = ThreadLocalRandom.current().nextLong();
        while (lvl < MAX_LEVEL && (r & 3) == 0) {
            lvl++;
            r >>>= 2;
            if (r == 0) r = ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE;
        }
        return lvl;
    }

    /** True when (s1, m1) sorts before (s2, m2). */
    static boolean less(double s1, byte[] m1, double s2, byte[] m2) {
        return s1 < s2 || (s1 == s2 && ZSetValue.compareMembers(m1, m2) < 0);
    }

    Node insert(double score, byte[] member) {
        Node[] update = new Node[MAX_LEVEL];
        int[] rank = new int[MAX_LEVEL];
        Node x = head;
        for (int i = level - 1; i >= 0; i--) {
            rank[i] = i == level - 1 ? 0 : rank[i + 1];
            while (x.next[i] != null && less(x.next[i].score, x.next[i].member, score, member)) {
                rank[i] += x.span[i];
                x = x.next[i];
            }
            update[i] = x;
        }
        int lvl = randomLevel();
        if (lvl > level) {
            for (int i = level; i < lvl; i++) {
                rank[i] = 0;
                update[i] = head;
                update[i].span[i] = size;
            }
            level = lvl;
        }
        Node n = new Node(lvl, score, member);
        for (int i = 0; i < lvl; i++) {
            n.next[i] = update[i].next[i];
            update[i].next[i] = n;
            n.span[i] = update[i].span[i] - (rank[0] - rank[i]);
            update[i].span[i] = (rank[0] - rank[i]) + 1;
        }
        for (int i = lvl; i < level; i++) update[i].span[i]++;
        n.prev = update[0] == head ? null : update[0];
        if (n.next[0] != null) n.next[0].prev = n;
        else tail = n;
        size++;
        return n;
    }

    /** Removes the node holding exactly (score, member); false when absent. */
    boolean delete(double score, byte[] member) {
        Node[] update = new Node[MAX_LEVEL];
        Node x = head;
        for (int i = level - 1; i >= 0; i--) {
            while (x.next[i] != null && less(x.next[i].score, x.next[i].member, score, member)) x = x.next[i];
            update[i] = x;
        }
        x = x.next[0];
        if (x == null || x.score != score || ZSetValue.compareMembers(x.member, member) != 0) return false;
        for (int i = 0; i < level; i++) {
            if (update[i].next[i] == x) {
                update[i].span[i] += x.span[i] - 1;
                update[i].next[i] = x.next[i];
            } else {
                update[i].span[i]--;
            }
        }
        if (x.next[0] != null) x.next[0].prev = x.prev;
        else tail = x.prev;
        while (level > 1 && head.next[level - 1] == null) level--;
        size--;
        return true;
    }

    /** 0-based rank of the node holding (score, member), which must be present. */
    int rankOf(double score, byte[] member) {
        Node x = head;
        int r = 0;
        for (int i = level - 1; i >= 0; i--) {
            while (x.next[i] != null && !less(score, member, x.next[i].score, x.next[i].member)) {
                r += x.span[i];
                x = x.next[i];
            }
            if (x != head && x.score == score && ZSetValue.compareMembers(x.member, member) == 0) return r - 1;
        }
        return -1;
    }

    /** The node at 0-based {@code rank}, or null when out of range. */
    Node byRank(int rank) {
        if (rank < 0 || rank >= size) return null;
        int target = rank + 1;
        Node x = head;
        int r = 0;
        for (int i = level - 1; i >= 0; i--) {
            while (x.next[i] != null && r + x.span[i] <= target) {
                r += x.span[i];
                x = x.next[i];
            }
            if (r == target) return x;
        }
        return null;
    }

    /** A predicate over nodes that is true for a prefix of the list (monotone). */
    interface Prefix {
        boolean test(Node n);
    }

    /** The number of leading elements for which {@code p} holds. */
    int countPrefix(Prefix p) {
        Node x = head;
        int r = 0;
        for (int i = level - 1; i >= 0; i--) {
            while (x.next[i] != null && p.test(x.next[i])) {
                r += x.span[i];
                x = x.next[i];
            }
        }
        return r;
    }
}
