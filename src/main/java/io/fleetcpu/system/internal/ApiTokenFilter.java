package io.fleetcpu.system.internal;

import io.fleetcpu.system.Access;
import io.fleetcpu.system.Credential;
import io.fleetcpu.system.Role;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.RequestPath;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Lets a request through when its bearer token's role may do what {@link AccessRules} says the request needs:
 * no or an unknown token gets 401, a known token whose role may not gets 403. The accepted {@link Credential} is
 * left in the request attribute {@link Credential#ATTRIBUTE}.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
class ApiTokenFilter extends OncePerRequestFilter {

    private final Credentials credentials;
    private final AccessRules rules;
    private final Problems problems;

    ApiTokenFilter(Credentials credentials, AccessRules rules, Problems problems) {
        this.credentials = credentials;
        this.rules = rules;
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        // The path as Spring MVC matches it: within the application (no context path), segments decoded when matched.
        Access needed = rules.needed(
                request.getMethod(),
                RequestPath.parse(request.getRequestURI(), request.getContextPath())
                        .pathWithinApplication());
        String token = bearerToken(request.getHeader("Authorization"));
        Optional<Credential> credential = token == null ? Optional.empty() : credentials.find(token);
        if (needed == Access.OPEN) {
            credential.ifPresent(c -> request.setAttribute(Credential.ATTRIBUTE, c));
            chain.doFilter(request, response);
            return;
        }
        if (credential.isEmpty()) {
            response.setHeader(
                    "WWW-Authenticate",
                    token == null ? "Bearer realm=\"fleetcpu\"" : "Bearer realm=\"fleetcpu\", error=\"invalid_token\"");
            problems.write(
                    request,
                    response,
                    Problems.of(
                            HttpStatus.UNAUTHORIZED,
                            "Credential required",
                            (token == null
                                            ? "this request needs the header 'Authorization: Bearer <token>'"
                                            : "the bearer token is not one of fleetcpu's configured credentials")
                                    + "; it needs a credential of the role " + roles(needed)));
            return;
        }
        Role role = credential.get().role();
        if (!role.may(needed)) {
            problems.write(
                    request,
                    response,
                    Problems.of(
                            HttpStatus.FORBIDDEN,
                            "Not allowed",
                            "this " + role.label() + " credential may not " + request.getMethod() + " "
                                    + request.getRequestURI() + "; that needs the role " + roles(needed)));
            return;
        }
        request.setAttribute(Credential.ATTRIBUTE, credential.get());
        chain.doFilter(request, response);
    }

    private static @Nullable String bearerToken(@Nullable String header) {
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = header.substring(7).strip();
        return token.isEmpty() ? null : token;
    }

    /** The roles that may, e.g. "agent or operator". */
    static String roles(Access needed) {
        return Arrays.stream(Role.values())
                .filter(r -> r.may(needed))
                .map(Role::label)
                .collect(Collectors.joining(" or "));
    }
}
