package io.fleetcpu.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class FeatureSetProperties {

    private static FeatureSet of(Set<Integer> s) {
        return FeatureSet.of(s.stream().mapToInt(Integer::intValue).toArray());
    }

    private static Set<Integer> set(FeatureSet f) {
        return f.indexes().boxed().collect(Collectors.toCollection(TreeSet::new));
    }

    @Property
    void operationsAgreeWithPlainSets(
            @ForAll @Size(max = 60) Set<@IntRange(max = 300) Integer> a,
            @ForAll @Size(max = 60) Set<@IntRange(max = 300) Integer> b,
            @ForAll @IntRange(max = 320) int probe) {
        FeatureSet fa = of(a);
        FeatureSet fb = of(b);
        Set<Integer> union = new HashSet<>(a);
        union.addAll(b);
        Set<Integer> inter = new HashSet<>(a);
        inter.retainAll(b);
        Set<Integer> minus = new HashSet<>(a);
        minus.removeAll(b);
        assertEquals(new TreeSet<>(union), set(fa.union(fb)));
        assertEquals(new TreeSet<>(inter), set(fa.intersection(fb)));
        assertEquals(new TreeSet<>(minus), set(fa.minus(fb)));
        assertEquals(a.containsAll(b), fa.containsAll(fb));
        assertEquals(a.contains(probe), fa.contains(probe));
        assertEquals(a.size(), fa.size());
        assertEquals(a.isEmpty(), fa.isEmpty());
        assertEquals(!inter.isEmpty(), fa.intersects(fb));
        // canonical form: equal sets are equal values whatever way they were built
        assertEquals(of(inter), fa.minus(fa.minus(fb)));
        assertEquals(of(inter).hashCode(), fa.minus(fa.minus(fb)).hashCode());
        assertEquals(fa.with(probe), of(a).toBuilder().add(probe).build());
        assertEquals(fa.without(probe), fa.minus(FeatureSet.of(probe)));
    }
}
