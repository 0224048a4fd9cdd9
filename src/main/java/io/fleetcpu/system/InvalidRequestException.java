package io.fleetcpu.system;

import java.util.List;
import org.jspecify.annotations.Nullable;

/** A request that cannot be carried out as sent; answered 422 with every field that is wrong. */
public class InvalidRequestException extends RuntimeException {

    /** One wrong field: where it is in the request (JSON path) and what is wrong with it. */
    public record FieldProblem(String field, @Nullable String problem) {}

    private final List<FieldProblem> problems;

    public InvalidRequestException(String field, @Nullable String problem) {
        this(List.of(new FieldProblem(field, problem)));
    }

    public InvalidRequestException(List<FieldProblem> problems) {
        super(problems.stream()
                .map(p -> p.field() + ": " + p.problem())
                .reduce((a, b) -> a + "; " + b)
                .orElse("invalid request"));
        this.problems = List.copyOf(problems);
    }

    public List<FieldProblem> problems() {
        return problems;
    }
}
