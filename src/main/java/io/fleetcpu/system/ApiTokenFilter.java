package io.fleetcpu.system;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Set;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Every request that changes state must carry a known bearer token; reads stay open for
 * dashboards and schedulers.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
class ApiTokenFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(ApiTokenFilter.class);
    private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");

    private final List<byte[]> tokens;
    private final Problems problems;

    ApiTokenFilter(SecurityProperties security, Problems problems) throws IOException {
        this.problems = problems;
        List<String> configured = security.tokens().stream().filter(t -> !t.isBlank()).toList();
        if (configured.isEmpty()) {
            configured = List.of(tokenFromFile(Path.of(security.tokenFile())));
        }
        this.tokens = configured.stream().map(t -> t.strip().getBytes(StandardCharsets.UTF_8)).toList();
    }

    private static String tokenFromFile(Path file) throws IOException {
        if (Files.isRegularFile(file)) {
            return Files.readString(file).strip();
        }
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Files.writeString(file, token + "\n");
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            log.warn("cannot restrict the permissions of {}", file);
        }
        log.info("No API token configured: made one and wrote it to {}", file.toAbsolutePath());
        return token;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (READS.contains(request.getMethod()) || accepted(request.getHeader("Authorization"))) {
            chain.doFilter(request, response);
            return;
        }
        response.setHeader("WWW-Authenticate", "Bearer realm=\"fleetcpu\"");
        problems.write(request, response, Problems.of(HttpStatus.UNAUTHORIZED, "Credential required",
                "changing fleetcpu's state needs the header 'Authorization: Bearer <token>' with a configured API token"));
    }

    private boolean accepted(String header) {
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        byte[] offered = header.substring(7).strip().getBytes(StandardCharsets.UTF_8);
        boolean match = false;
        for (byte[] token : tokens) {
            match |= MessageDigest.isEqual(token, offered);
        }
        return match;
    }
}
