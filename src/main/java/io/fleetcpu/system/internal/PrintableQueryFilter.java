package io.fleetcpu.system.internal;

import io.fleetcpu.system.InvalidRequestException;
import io.fleetcpu.system.InvalidRequestException.FieldProblem;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Query parameters hold no control characters or lone surrogates either (as bodies, see
 * {@link StrictJsonConfiguration}): such a value is refused with 400 naming the parameter, before it can
 * reach a database query. Reads the query string itself, so no form body is read here.
 */
@Component
class PrintableQueryFilter extends OncePerRequestFilter {

    private final Problems problems;

    PrintableQueryFilter(Problems problems) {
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        List<FieldProblem> unprintable = unprintable(request.getQueryString());
        if (unprintable.isEmpty()) {
            chain.doFilter(request, response);
            return;
        }
        InvalidRequestException invalid = new InvalidRequestException(unprintable);
        ProblemDetail problem = Problems.of(HttpStatus.BAD_REQUEST, "Invalid parameter", invalid.getMessage());
        problem.setProperty("errors", invalid.problems());
        problems.write(request, response, problem);
    }

    private static List<FieldProblem> unprintable(@Nullable String query) {
        if (query == null || query.isEmpty()) {
            return List.of();
        }
        Set<String> names = new LinkedHashSet<>();
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            if (name != null
                    && value != null
                    && !(StrictJsonConfiguration.printable(name) && StrictJsonConfiguration.printable(value))) {
                names.add(StrictJsonConfiguration.printable(name) ? name : "(unprintable name)");
            }
        }
        List<FieldProblem> found = new ArrayList<>();
        for (String name : names) {
            found.add(new FieldProblem(name, StrictJsonConfiguration.UnprintableText.PROBLEM));
        }
        return found;
    }

    /** Null for a malformed escape, which Tomcat and Spring refuse on their own. */
    private static @Nullable String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
