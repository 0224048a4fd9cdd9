package io.fleetcpu.metrics;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.server.RequestPath;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Before Prometheus's scrape is answered, refreshes the fleet gauges if they are due ({@link FleetMetrics}). It runs
 * after the token filter, so a scrape that is refused reads nothing.
 */
@Component
class ScrapeRefresh extends OncePerRequestFilter {

    private final FleetMetrics metrics;
    private final String scrapePath;

    ScrapeRefresh(FleetMetrics metrics, @Value("${management.endpoints.web.base-path:/actuator}") String basePath) {
        this.metrics = metrics;
        this.scrapePath = basePath + "/prometheus";
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !scrapePath.equals(RequestPath.parse(request.getRequestURI(), request.getContextPath())
                .pathWithinApplication()
                .value());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        metrics.refreshIfDue();
        chain.doFilter(request, response);
    }
}
