package io.fleetcpu.aggregates;

import io.fleetcpu.aggregates.internal.AnswerKey;

/** An answer with a strong validator, derived from the aggregate's versions and the question ({@link AnswerKey}). */
public interface ValidatedAnswer {

    /** The ETag of the answer's JSON; its other representations derive theirs from it ({@code web.Representation}). */
    String etag();
}
