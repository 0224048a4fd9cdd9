package io.fleetcpu.system.internal;

import io.fleetcpu.system.Access;
import java.util.List;
import java.util.Set;
import org.springframework.http.server.PathContainer;
import org.springframework.stereotype.Component;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * Which {@link Access} each request needs. Reads are open unless {@code fleetcpu.security.reads-need-credential}
 * closes them; health and the OpenAPI document stay open always, reads of tenant data (the guests' names) never are. The POSTs that only ask a question (what-if,
 * migration checks) are reads: they write nothing, so they are as open as the GETs (the dashboard asks the same
 * what-if with a GET form). Registering a host, and uploading its libvirt's cpu_map, need the agent's access; every
 * other change (and any request this table does not know) is the operator's.
 */
@Component
public class AccessRules {

    private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");

    private static final List<PathPattern> ALWAYS_OPEN = patterns(
            "/actuator/health",
            "/actuator/health/**",
            "/v3/api-docs",
            "/v3/api-docs/**",
            "/v3/api-docs.yaml",
            "/swagger-ui.html",
            "/swagger-ui/**");

    /** POSTs that change nothing: they ask what would happen. */
    private static final List<PathPattern> QUESTIONS = patterns("/aggregates/{id}/what-if", "/migrations/check");

    private static final List<PathPattern> REGISTRATION = patterns("/hosts");

    /** Reads of tenant data (guest names and UUIDs): a viewer's or operator's, even while other reads are open. */
    private static final List<PathPattern> TENANT_DATA = patterns("/aggregates/{id}/guests");

    /** The agent uploads its libvirt's cpu_map when the service does not hold it. */
    private static final List<PathPattern> MAP_UPLOAD = patterns("/cpu-maps/{digest}");

    private final boolean readsNeedCredential;

    AccessRules(SecurityProperties security) {
        this.readsNeedCredential = security.readsNeedCredential();
    }

    /**
     * @param method the HTTP method, upper case
     * @param path a path template of the API such as {@code /aggregates/{id}/what-if}
     */
    public Access needed(String method, String path) {
        return needed(method, PathContainer.parsePath(path));
    }

    /**
     * @param method the HTTP method, upper case
     * @param container the request's path within the application
     */
    Access needed(String method, PathContainer container) {
        if (READS.contains(method) && !"OPTIONS".equals(method) && matches(TENANT_DATA, container)) {
            return Access.READ;
        }
        if (READS.contains(method)) {
            return !readsNeedCredential || "OPTIONS".equals(method) || matches(ALWAYS_OPEN, container)
                    ? Access.OPEN
                    : Access.READ;
        }
        if ("POST".equals(method) && matches(QUESTIONS, container)) {
            return readsNeedCredential ? Access.READ : Access.OPEN;
        }
        if ("POST".equals(method) && matches(REGISTRATION, container)
                || "PUT".equals(method) && matches(MAP_UPLOAD, container)) {
            return Access.REGISTER;
        }
        return Access.OPERATE;
    }

    /** Whether the path reads tenant data, which needs a credential even while reads are open. */
    public boolean tenantData(String path) {
        return matches(TENANT_DATA, PathContainer.parsePath(path));
    }

    private static boolean matches(List<PathPattern> patterns, PathContainer path) {
        return patterns.stream().anyMatch(p -> p.matches(path));
    }

    private static List<PathPattern> patterns(String... patterns) {
        return List.of(patterns).stream()
                .map(PathPatternParser.defaultInstance::parse)
                .toList();
    }
}
