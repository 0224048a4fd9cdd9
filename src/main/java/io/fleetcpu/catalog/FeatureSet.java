package io.fleetcpu.catalog;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;

/**
 * An immutable set of catalog feature indexes, stored as a canonical bit set (no trailing zero words),
 * so equal sets have equal arrays and set algebra over a whole fleet stays a few word operations per host.
 *
 * <p>An index means a feature only in the catalog it comes from, and two catalogs (libvirt 9.0's and 11.3's maps) put
 * features at different positions. Sets made by a catalog ({@link CpuCatalog#featureSet}, its models' features)
 * carry it, and combining two sets of two catalogs fails ({@link IllegalArgumentException}) instead of answering
 * with features of the wrong names. Sets made from bare indexes ({@link #of}) belong to no catalog until combined
 * with one that does.
 */
public final class FeatureSet {

    private static final long[] NO_WORDS = new long[0];
    private static final FeatureSet EMPTY = new FeatureSet(NO_WORDS, null);

    private final long[] words;
    /** The catalog whose feature positions the indexes are, or null for a set of bare indexes. */
    private final @Nullable CpuCatalog catalog;

    private FeatureSet(long[] canonicalWords, @Nullable CpuCatalog catalog) {
        this.words = canonicalWords;
        this.catalog = catalog;
    }

    public static FeatureSet empty() {
        return EMPTY;
    }

    public static FeatureSet of(int... indexes) {
        Builder builder = builder();
        for (int index : indexes) {
            builder.add(index);
        }
        return builder.build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public FeatureSet with(int index) {
        if (contains(index)) {
            return this;
        }
        return toBuilder().add(index).build();
    }

    public FeatureSet without(int index) {
        if (!contains(index)) {
            return this;
        }
        return toBuilder().remove(index).build();
    }

    public Builder toBuilder() {
        return new Builder(words, catalog);
    }

    /** The same indexes as positions of the catalog's features. */
    FeatureSet of(CpuCatalog owner) {
        if (catalog == owner) {
            return this;
        }
        owner(owner, catalog);
        return words.length == 0 ? EMPTY : new FeatureSet(words, owner);
    }

    /** The same indexes, of no catalog: for a catalog made from another's positions ({@link CpuCatalog#commonPart}). */
    FeatureSet bare() {
        return catalog == null || words.length == 0 ? (words.length == 0 ? EMPTY : this) : new FeatureSet(words, null);
    }

    /** The catalog these indexes belong to, or null for bare indexes. */
    @Nullable
    CpuCatalog catalog() {
        return catalog;
    }

    /** @throws IllegalArgumentException for sets of two catalogs */
    private static @Nullable CpuCatalog owner(@Nullable CpuCatalog a, @Nullable CpuCatalog b) {
        if (a != null && b != null && a != b) {
            throw new IllegalArgumentException("feature sets of two catalogs (" + a.name() + ", " + b.name()
                    + ") mixed: feature positions differ between catalogs; read the CPU with one catalog first");
        }
        return a != null ? a : b;
    }

    public boolean contains(int index) {
        checkIndex(index);
        int word = index >>> 6;
        return word < words.length && (words[word] & (1L << index)) != 0;
    }

    public boolean isEmpty() {
        return words.length == 0;
    }

    public int size() {
        int n = 0;
        for (long w : words) {
            n += Long.bitCount(w);
        }
        return n;
    }

    public FeatureSet union(FeatureSet other) {
        CpuCatalog owner = owner(catalog, other.catalog);
        long[] big = words.length >= other.words.length ? words : other.words;
        long[] small = big == words ? other.words : words;
        long[] result = big.clone();
        for (int i = 0; i < small.length; i++) {
            result[i] |= small[i];
        }
        return canonical(result, owner);
    }

    public FeatureSet intersection(FeatureSet other) {
        CpuCatalog owner = owner(catalog, other.catalog);
        int n = Math.min(words.length, other.words.length);
        long[] result = new long[n];
        for (int i = 0; i < n; i++) {
            result[i] = words[i] & other.words[i];
        }
        return canonical(result, owner);
    }

    public FeatureSet minus(FeatureSet other) {
        CpuCatalog owner = owner(catalog, other.catalog);
        long[] result = words.clone();
        int n = Math.min(words.length, other.words.length);
        for (int i = 0; i < n; i++) {
            result[i] &= ~other.words[i];
        }
        return canonical(result, owner);
    }

    public boolean containsAll(FeatureSet other) {
        owner(catalog, other.catalog);
        if (other.words.length > words.length) {
            return false;
        }
        for (int i = 0; i < other.words.length; i++) {
            if ((other.words[i] & ~words[i]) != 0) {
                return false;
            }
        }
        return true;
    }

    public boolean intersects(FeatureSet other) {
        owner(catalog, other.catalog);
        int n = Math.min(words.length, other.words.length);
        for (int i = 0; i < n; i++) {
            if ((words[i] & other.words[i]) != 0) {
                return true;
            }
        }
        return false;
    }

    /** The indexes in ascending order. */
    public IntStream indexes() {
        return IntStream.range(0, words.length).flatMap(w -> {
            long word = words[w];
            IntStream.Builder out = IntStream.builder();
            while (word != 0) {
                int bit = Long.numberOfTrailingZeros(word);
                out.add(w * 64 + bit);
                word &= word - 1;
            }
            return out.build();
        });
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FeatureSet other && Arrays.equals(words, other.words);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(words);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("{");
        indexes().forEach(i -> s.append(s.length() > 1 ? ", " : "").append(i));
        return s.append('}').toString();
    }

    private static FeatureSet canonical(long[] words, @Nullable CpuCatalog catalog) {
        int n = words.length;
        while (n > 0 && words[n - 1] == 0) {
            n--;
        }
        if (n == 0) {
            return EMPTY;
        }
        return new FeatureSet(n == words.length ? words : Arrays.copyOf(words, n), catalog);
    }

    private static void checkIndex(int index) {
        if (index < 0) {
            throw new IndexOutOfBoundsException("feature index must not be negative: " + index);
        }
    }

    /** Mutable accumulator; {@link #build()} copies, so a builder can be reused. */
    public static final class Builder {
        private long[] words;
        private @Nullable CpuCatalog catalog;

        private Builder() {
            this.words = NO_WORDS;
        }

        private Builder(long[] words, @Nullable CpuCatalog catalog) {
            this.words = words.clone();
            this.catalog = catalog;
        }

        /** Indexes of this catalog's features. */
        Builder of(CpuCatalog owner) {
            catalog = owner(catalog, owner);
            return this;
        }

        public Builder add(int index) {
            checkIndex(index);
            int word = index >>> 6;
            if (word >= words.length) {
                words = Arrays.copyOf(words, Math.max(word + 1, words.length * 2));
            }
            words[word] |= 1L << index;
            return this;
        }

        public Builder remove(int index) {
            checkIndex(index);
            int word = index >>> 6;
            if (word < words.length) {
                words[word] &= ~(1L << index);
            }
            return this;
        }

        public Builder addAll(FeatureSet set) {
            catalog = owner(catalog, set.catalog);
            if (set.words.length > words.length) {
                words = Arrays.copyOf(words, set.words.length);
            }
            for (int i = 0; i < set.words.length; i++) {
                words[i] |= set.words[i];
            }
            return this;
        }

        public Builder removeAll(FeatureSet set) {
            catalog = owner(catalog, set.catalog);
            int n = Math.min(words.length, set.words.length);
            for (int i = 0; i < n; i++) {
                words[i] &= ~set.words[i];
            }
            return this;
        }

        public Builder retainAll(FeatureSet set) {
            catalog = owner(catalog, set.catalog);
            for (int i = 0; i < words.length; i++) {
                words[i] &= i < set.words.length ? set.words[i] : 0L;
            }
            return this;
        }

        public FeatureSet build() {
            return canonical(words.clone(), catalog);
        }
    }
}
