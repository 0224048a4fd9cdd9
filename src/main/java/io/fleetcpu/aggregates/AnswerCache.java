package io.fleetcpu.aggregates;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;

import com.github.benmanes.caffeine.cache.Caffeine;

import io.fleetcpu.policy.BaselineRefusedException;
import io.fleetcpu.policy.PolicyConflictException;
import io.fleetcpu.system.ConflictException;

/**
 * Answers kept in memory under a key that names everything they depend on, so that a key never needs invalidating:
 * a change makes a new key, and the old answer ages out (least recently used first). Callers asking for the same
 * missing key at once share one computation. Refusals (no common CPU, a policy that cannot be met) are answers too
 * and are kept; any other failure is not.
 */
final class AnswerCache<K, V> {

    /** A computed answer, or the refusal that is the answer. */
    private record Outcome<V>(V value, RuntimeException refusal) {

        V get() {
            if (refusal != null) {
                throw refusal;
            }
            return value;
        }
    }

    private final ConcurrentMap<K, CompletableFuture<Outcome<V>>> answers;

    AnswerCache(long maximumSize) {
        this.answers = Caffeine.newBuilder().maximumSize(maximumSize).<K, Outcome<V>>buildAsync().asMap();
    }

    V get(K key, Supplier<V> compute) {
        CompletableFuture<Outcome<V>> mine = new CompletableFuture<>();
        CompletableFuture<Outcome<V>> theirs = answers.putIfAbsent(key, mine);
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
}
