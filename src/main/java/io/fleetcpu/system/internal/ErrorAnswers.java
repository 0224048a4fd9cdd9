package io.fleetcpu.system.internal;

import io.fleetcpu.system.SecurityHeaders;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.Locale;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/**
 * Errors raised outside Spring MVC, as problem details like every other refusal: Tomcat's own (a request
 * line or headers too large or malformed, too many parameters), which its error report valve answers,
 * and errors sent to {@code /error}, which replaces Spring Boot's whitelabel answer. {@code GET /error}
 * itself is a 404, as for any path with nothing behind it.
 */
@RestController
@Hidden
class ErrorAnswers implements ErrorController {

    private final JsonMapper json;

    ErrorAnswers(JsonMapper json) {
        this.json = json;
    }

    @RequestMapping("/error")
    ResponseEntity<byte[]> error(HttpServletRequest request) {
        Object status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        ProblemDetail problem = request.getAttribute(RequestDispatcher.ERROR_EXCEPTION)
                        instanceof org.apache.tomcat.util.http.InvalidParameterException
                ? tooManyParameters()
                : status instanceof Integer code
                        ? of(code)
                        : Problems.of(HttpStatus.NOT_FOUND, "Not found", nothingAt("/error"));
        return ResponseEntity.status(problem.getStatus())
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(json.writeValueAsBytes(problem));
    }

    static ProblemDetail tooManyParameters() {
        return Problems.of(
                HttpStatus.BAD_REQUEST,
                "Too many parameters",
                "the request has more query or form "
                        + "parameters than fleetcpu reads (server.tomcat.max-parameter-count, 1000 by default)");
    }

    static String nothingAt(String path) {
        return "nothing at " + path + "; GET /v3/api-docs lists every resource fleetcpu has";
    }

    /** A problem for an HTTP status alone, in words that hold whatever the container found wrong. */
    static ProblemDetail of(int code) {
        HttpStatus status = HttpStatus.resolve(code);
        if (status == null) {
            status = code >= 500 ? HttpStatus.INTERNAL_SERVER_ERROR : HttpStatus.BAD_REQUEST;
        }
        return switch (status) {
            case BAD_REQUEST ->
                Problems.of(
                        status,
                        "Bad request",
                        "the HTTP request is malformed, or its request line, "
                                + "headers or parameters are longer or more numerous than fleetcpu reads");
            case NOT_FOUND ->
                Problems.of(
                        status,
                        "Not found",
                        "nothing at this path; GET /v3/api-docs lists every " + "resource fleetcpu has");
            case URI_TOO_LONG -> Problems.of(status, "URI too long", "the request URI is longer than fleetcpu reads");
            case REQUEST_HEADER_FIELDS_TOO_LARGE ->
                Problems.of(status, "Headers too large", "the request headers are larger than fleetcpu reads");
            case CONTENT_TOO_LARGE ->
                Problems.of(status, "Request body too large", "the request body is larger than fleetcpu accepts");
            default ->
                status.is5xxServerError()
                        ? Problems.of(
                                status,
                                status == HttpStatus.INTERNAL_SERVER_ERROR ? "Internal error" : sentence(status),
                                "fleetcpu failed to answer this request; the service log has the details")
                        : Problems.of(status, sentence(status), "the request was refused: " + status.getReasonPhrase());
        };
    }

    private static String sentence(HttpStatus status) {
        String phrase = status.getReasonPhrase();
        return phrase.charAt(0) + phrase.substring(1).toLowerCase(Locale.ROOT);
    }

    /** Tomcat's error report valve, answering problem details instead of an HTML page. */
    static final class Valve extends ErrorReportValve {

        private final Problems problems;

        Valve(Problems problems) {
            this.problems = problems;
        }

        @Override
        protected void report(Request request, Response response, Throwable throwable) {
            int status = response.getStatus();
            if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
                return;
            }
            try {
                response.resetBuffer(true);
                SecurityHeaders.apply(null, response);
                problems.write(response, of(status));
                response.finishResponse();
            } catch (IOException | IllegalStateException e) {
                // the client is gone or the answer has started: nothing more can be said
            }
        }
    }
}
