package io.fleetcpu.system.internal;

import io.fleetcpu.system.InvalidRequestException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** Writes RFC 9457 problem details from servlet filters, which run before Spring MVC's advice. */
@Component
public class Problems {

    private final JsonMapper json;

    public Problems(JsonMapper json) {
        this.json = json;
    }

    public static ProblemDetail of(HttpStatus status, String title, @Nullable String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        problem.setType(
                URI.create("https://fleetcpu.io/problems/" + title.toLowerCase().replace(' ', '-')));
        return problem;
    }

    /** 422 naming every wrong field, as {@link ProblemAdvice} answers an {@link InvalidRequestException}. */
    static ProblemDetail invalid(InvalidRequestException e) {
        ProblemDetail problem = of(HttpStatus.UNPROCESSABLE_CONTENT, "Invalid request", e.getMessage());
        problem.setProperty("errors", e.problems());
        return problem;
    }

    void write(HttpServletRequest request, HttpServletResponse response, ProblemDetail problem) throws IOException {
        problem.setInstance(URI.create(request.getRequestURI()));
        write(response, problem);
    }

    /** Without an instance: for requests whose URI could not be read. */
    void write(HttpServletResponse response, ProblemDetail problem) throws IOException {
        response.setStatus(problem.getStatus());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.getOutputStream().write(json.writeValueAsBytes(problem));
    }
}
