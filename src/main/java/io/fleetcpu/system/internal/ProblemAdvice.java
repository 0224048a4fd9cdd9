package io.fleetcpu.system.internal;

import io.fleetcpu.libvirtxml.MalformedXmlException;
import io.fleetcpu.system.ConflictException;
import io.fleetcpu.system.ForbiddenException;
import io.fleetcpu.system.InvalidParameterException;
import io.fleetcpu.system.InvalidRequestException;
import io.fleetcpu.system.NotFoundException;
import io.fleetcpu.system.PreconditionFailedException;
import io.fleetcpu.system.ServiceBusyException;
import jakarta.servlet.http.HttpServletResponse;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.hibernate.exception.JDBCConnectionException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/** Turns every refusal into RFC 9457 problem details with a message a person can act on. */
@RestControllerAdvice
class ProblemAdvice extends ResponseEntityExceptionHandler {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ProblemAdvice.class);

    @ExceptionHandler(InvalidParameterException.class)
    ProblemDetail invalidParameter(InvalidParameterException e) {
        ProblemDetail problem = Problems.of(HttpStatus.BAD_REQUEST, "Invalid parameter", e.getMessage());
        problem.setProperty("errors", e.problems());
        return problem;
    }

    @ExceptionHandler(InvalidRequestException.class)
    ProblemDetail invalid(InvalidRequestException e) {
        return Problems.invalid(e);
    }

    @ExceptionHandler(NotFoundException.class)
    ProblemDetail notFound(NotFoundException e) {
        return Problems.of(HttpStatus.NOT_FOUND, "Not found", e.getMessage());
    }

    @ExceptionHandler(ForbiddenException.class)
    ProblemDetail forbidden(ForbiddenException e) {
        return Problems.of(HttpStatus.FORBIDDEN, "Not allowed", e.getMessage());
    }

    @ExceptionHandler(ConflictException.class)
    ProblemDetail conflict(ConflictException e) {
        ProblemDetail problem = Problems.of(HttpStatus.CONFLICT, e.title(), e.getMessage());
        problem.setProperty("hosts", e.hosts());
        return problem;
    }

    @ExceptionHandler(PreconditionFailedException.class)
    ProblemDetail preconditionFailed(PreconditionFailedException e) {
        return Problems.of(HttpStatus.PRECONDITION_FAILED, "Changed since read", e.getMessage());
    }

    @ExceptionHandler(ServiceBusyException.class)
    ResponseEntity<ProblemDetail> busy(ServiceBusyException e) {
        ProblemDetail problem = Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "Busy", e.getMessage());
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, String.valueOf(e.retryAfter().toSeconds()))
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem);
    }

    /** How long a client is asked to wait when the database cannot be reached. */
    static final Duration DATABASE_RETRY_AFTER = Duration.ofSeconds(5);

    /**
     * The database cannot be reached (down, restarting, or every connection taken for longer than
     * spring.datasource.hikari.connection-timeout): 503 with Retry-After.
     */
    @ExceptionHandler({
        CannotCreateTransactionException.class,
        DataAccessResourceFailureException.class,
        JDBCConnectionException.class,
        SQLTransientConnectionException.class
    })
    ProblemDetail databaseUnavailable(Exception e, HttpServletResponse response) {
        log.warn("database unavailable: {}", e.toString());
        response.setHeader(HttpHeaders.RETRY_AFTER, String.valueOf(DATABASE_RETRY_AFTER.toSeconds()));
        return Problems.of(
                HttpStatus.SERVICE_UNAVAILABLE,
                "Database unavailable",
                "fleetcpu cannot reach its database just now; try again shortly (sending the same request again "
                        + "is safe: a registration is applied once)");
    }

    /**
     * A lost or refused database connection, however deep it is wrapped: SQLState class 08 or a shutdown (57P), or a
     * commit or rollback the JDBC connection failed (the pool closes a connection the database cut).
     */
    private static boolean lostDatabase(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof CannotCreateTransactionException
                    || cause instanceof DataAccessResourceFailureException
                    || cause instanceof JDBCConnectionException
                    || cause instanceof SQLTransientConnectionException
                    || cause instanceof SQLNonTransientConnectionException
                    || cause instanceof org.hibernate.TransactionException
                            && cause.getCause() instanceof SQLException) {
                return true;
            }
            if (cause instanceof SQLException sql
                    && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P"))) {
                return true;
            }
        }
        return false;
    }

    @ExceptionHandler(MalformedXmlException.class)
    ProblemDetail malformedXml(MalformedXmlException e) {
        return Problems.of(HttpStatus.BAD_REQUEST, "Malformed XML", e.getMessage());
    }

    @ExceptionHandler(org.apache.tomcat.util.http.InvalidParameterException.class)
    ProblemDetail tooManyParameters(org.apache.tomcat.util.http.InvalidParameterException e) {
        return ErrorAnswers.tooManyParameters();
    }

    @ExceptionHandler(Exception.class)
    ProblemDetail unexpected(Exception e, HttpServletResponse response) {
        if (lostDatabase(e)) {
            return databaseUnavailable(e, response);
        }
        log.error("request failed", e);
        return Problems.of(
                HttpStatus.INTERNAL_SERVER_ERROR,
                "Internal error",
                "fleetcpu failed to answer this request; the service log has the details");
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ProblemDetail typeMismatch(MethodArgumentTypeMismatchException e) {
        ProblemDetail problem = Problems.of(
                HttpStatus.BAD_REQUEST, "Invalid parameter", "'" + e.getName() + "' cannot be '" + e.getValue() + "'");
        problem.setProperty(
                "errors", List.of(new InvalidRequestException.FieldProblem(e.getName(), "not a valid value")));
        return problem;
    }

    @Override
    protected ResponseEntity<Object> handleHttpMediaTypeNotAcceptable(
            HttpMediaTypeNotAcceptableException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<String> supported = e.getSupportedMediaTypes().stream()
                .map(MediaType::toString)
                .distinct()
                .toList();
        ProblemDetail problem = Problems.of(
                HttpStatus.NOT_ACCEPTABLE,
                "Not acceptable",
                "no answer here is in '" + request.getHeader(HttpHeaders.ACCEPT) + "'; this resource answers in "
                        + String.join(", ", supported));
        problem.setProperty("supportedMediaTypes", supported);
        return ResponseEntity.status(HttpStatus.NOT_ACCEPTABLE)
                .headers(headers)
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(
            HttpMessageNotReadableException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        ProblemDetail problem = UnreadableBody.problem(e);
        return ResponseEntity.status(problem.getStatus())
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem);
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(
            MethodArgumentNotValidException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<InvalidRequestException.FieldProblem> problems = e.getBindingResult().getFieldErrors().stream()
                .map(f -> new InvalidRequestException.FieldProblem(f.getField(), f.getDefaultMessage()))
                .toList();
        return ResponseEntity.unprocessableContent().body(invalid(new InvalidRequestException(problems)));
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(
            HandlerMethodValidationException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<InvalidRequestException.FieldProblem> problems = e.getParameterValidationResults().stream()
                .flatMap(r -> r.getResolvableErrors().stream()
                        .map(err -> new InvalidRequestException.FieldProblem(
                                // Spring Boot's parent compiles with -parameters: every parameter has its name
                                Objects.requireNonNull(r.getMethodParameter().getParameterName()),
                                err.getDefaultMessage())))
                .toList();
        ProblemDetail problem = Problems.of(
                HttpStatus.BAD_REQUEST, "Invalid parameter", new InvalidRequestException(problems).getMessage());
        problem.setProperty("errors", problems);
        return ResponseEntity.badRequest().body(problem);
    }

    @Override
    protected ResponseEntity<Object> handleNoResourceFoundException(
            NoResourceFoundException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return ResponseEntity.status(HttpStatus.NOT_FOUND)
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(Problems.of(
                        HttpStatus.NOT_FOUND, "Not found", ErrorAnswers.nothingAt("/" + e.getResourcePath())));
    }
}
