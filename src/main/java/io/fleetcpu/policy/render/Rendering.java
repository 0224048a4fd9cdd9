package io.fleetcpu.policy.render;

/**
 * A guest CPU written in one consumer's language, or why that language cannot say it: host-model has no QEMU
 * {@code -cpu}, a feature QEMU has no flag for cannot be given with one, a cpu_map model needs a named model to start
 * from. Not being able to say an answer is an outcome the caller passes on to the operator (in the answer, or as a
 * 409 for that format), not an error.
 */
public sealed interface Rendering {

    /** The text, in the consumer's language. */
    record Written(String text) implements Rendering {}

    /** The consumer's language cannot say this CPU; {@code reason} says why, for an operator. */
    record NotExpressible(String reason) implements Rendering {}

    /**
     * The text, for a caller that knows the CPU can be said (a guest it is about to start, a test).
     *
     * @throws IllegalStateException when it cannot, with the reason
     */
    default String text() {
        // Written answers with its own text(); only NotExpressible comes here.
        throw new IllegalStateException("not expressible: " + ((NotExpressible) this).reason());
    }
}
