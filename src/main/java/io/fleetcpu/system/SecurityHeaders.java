package io.fleetcpu.system;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The headers every answer carries, errors included: no content sniffing, no framing, no referrer
 * leaving the service, a Content-Security-Policy that lets an answer run nothing (the Swagger UI
 * pages get one that lets them load their own scripts and styles), and no caching of answers except
 * those with an ETag, which caches must revalidate ({@code no-cache}) so 304s keep working.
 */
public final class SecurityHeaders {

    static final String API_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
    static final String SWAGGER_UI_POLICY = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            + "img-src 'self' data:; object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";
    /**
     * The dashboard's pages ({@code /} and {@code /dashboard/**}): their own stylesheet, their one script (the copy
     * buttons) and icon, forms that go back to the service; no inline script or style, nothing from elsewhere.
     */
    static final String DASHBOARD_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
            + "frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
    /** A raw document an agent sent: shown, if ever, in a sandbox that runs nothing it holds. */
    public static final String DOCUMENT_POLICY = API_POLICY + "; sandbox";

    private SecurityHeaders() {}

    public static void apply(@Nullable String path, HttpServletResponse response) {
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader("Referrer-Policy", "no-referrer");
        response.setHeader("Content-Security-Policy", policy(path));
        response.setHeader(
                HttpHeaders.CACHE_CONTROL, response.containsHeader(HttpHeaders.ETAG) ? "no-cache" : "no-store");
    }

    private static String policy(@Nullable String path) {
        if (path == null) {
            return API_POLICY;
        }
        if (path.startsWith("/swagger-ui")) {
            return SWAGGER_UI_POLICY;
        }
        return path.equals("/") || path.startsWith("/dashboard/") ? DASHBOARD_POLICY : API_POLICY;
    }

    /** Sets the headers before anything else runs, so filters' refusals and Tomcat's own errors have them too. */
    public static final class Valve extends ValveBase {

        public Valve() {
            super(true);
        }

        @Override
        public void invoke(Request request, Response response) throws IOException, ServletException {
            apply(request.getDecodedRequestURI(), response);
            getNext().invoke(request, response);
        }
    }

    /** An answer that gets an ETag may be cached, but only revalidated: {@code no-store} becomes {@code no-cache}. */
    public static final class RevalidateTagged extends OncePerRequestFilter {

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            chain.doFilter(request, new HttpServletResponseWrapper(response) {
                @Override
                public void setHeader(String name, String value) {
                    super.setHeader(name, value);
                    revalidate(name);
                }

                @Override
                public void addHeader(String name, String value) {
                    super.addHeader(name, value);
                    revalidate(name);
                }

                private void revalidate(String name) {
                    if (HttpHeaders.ETAG.equalsIgnoreCase(name)
                            && "no-store".equals(getHeader(HttpHeaders.CACHE_CONTROL))) {
                        super.setHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
                    }
                }
            });
        }
    }
}
