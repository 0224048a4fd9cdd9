package io.fleetcpu.aggregates.internal;

import com.github.benmanes.caffeine.cache.Caffeine;
import io.fleetcpu.policy.PolicyConflictException;
import io.fleetcpu.policy.baseline.BaselineRefusedException;
import io.fleetcpu.system.ConflictException;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Answers kept in memory under a key that names everything they depend on, so that a key never needs invalidating:
 * a change makes a new key, and the old answer ages out (least recently used first). Callers asking for the same
 * missing key at once share one computation. Refusals (no common CPU, a policy that cannot be met) are answers too
 * and are kept; any other failure is not. Requests are counted as hits (the answer was kept, or being computed by
 * another caller) and misses, for the metrics.
 */
public final class AnswerCache<K, V> {

    /** A computed answer, or the refusal that is the answer. */
    private record Outcome<V>(@Nullable V value, @Nullable RuntimeException refusal) {

        public V get() {
            if (refusal != null) {
                throw refusal;
            }
            return Objects.requireNonNull(value); // an outcome without a refusal has its value
        }
    }

    private final ConcurrentMap<K, CompletableFuture<Outcome<V>>> answers;
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();

    public AnswerCache(long maximumSize) {
        this.answers = Caffeine.newBuilder()
                .maximumSize(maximumSize)
                .<K, Outcome<V>>buildAsync()
                .asMap();
    }

    public V get(K key, Supplier<V> compute) {
        return get(key, compute, true);
    }

    /** @param counted whether this request counts as a hit or a miss (not when the metrics read an answer) */
    public V get(K key, Supplier<V> compute, boolean counted) {
        CompletableFuture<Outcome<V>> mine = new CompletableFuture<>();
        CompletableFuture<Outcome<V>> theirs = answers.putIfAbsent(key, mine);
        if (counted) {
            (theirs != null ? hits : misses).increment();
        }
        if (theirs != null) {
            try {
                return theirs.join().get();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException cause ? cause : e;
            }
        }
        Outcome<V> outcome;
        try {
            outcome = new Outcome<>(compute.get(), null);
        } catch (BaselineRefusedException | PolicyConflictException | ConflictException refusal) {
            outcome = new Outcome<>(null, refusal);
        } catch (RuntimeException | Error e) {
            answers.remove(key, mine);
            mine.completeExceptionally(e);
            throw e;
        }
        mine.complete(outcome);
        return outcome.get();
    }

    /** Requests answered from what was kept, since the start. */
    public long hits() {
        return hits.sum();
    }

    /** Requests that computed their answer, since the start. */
    public long misses() {
        return misses.sum();
    }
}
