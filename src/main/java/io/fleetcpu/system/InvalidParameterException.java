package io.fleetcpu.system;

import java.util.List;

/** A query parameter or header with a value the endpoint does not take; answered 400 naming it. */
public class InvalidParameterException extends InvalidRequestException {

    public InvalidParameterException(String parameter, String problem) {
        super(List.of(new FieldProblem(parameter, problem)));
    }
}
