package io.fleetcpu.system.internal;

import io.fleetcpu.system.SecurityHeaders;
import org.apache.catalina.Host;
import org.apache.catalina.Valve;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * Puts {@link SecurityHeaders} and {@link ErrorAnswers} into Tomcat itself, so that answers Spring never
 * sees (a request line too long, too many parameters, a malformed request) are problem details with the
 * same headers as every other answer.
 */
@Configuration(proxyBeanMethods = false)
class ErrorAndHeaderConfiguration {

    @Bean
    TomcatAnswers tomcatAnswers(Problems problems) {
        return new TomcatAnswers(problems);
    }

    @Bean
    FilterRegistrationBean<SecurityHeaders.RevalidateTagged> revalidateTaggedAnswers() {
        return new FilterRegistrationBean<>(new SecurityHeaders.RevalidateTagged());
    }

    /** Runs after Spring Boot's own customizer, which adds Tomcat's error report valve that this one replaces. */
    static final class TomcatAnswers implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {

        private final Problems problems;

        TomcatAnswers(Problems problems) {
            this.problems = problems;
        }

        @Override
        public void customize(TomcatServletWebServerFactory factory) {
            factory.addEngineValves(new SecurityHeaders.Valve(), new ErrorAnswers.Valve(problems));
            factory.addContextCustomizers(context -> {
                Host host = (Host) context.getParent();
                for (Valve valve : host.getPipeline().getValves()) {
                    if (valve instanceof ErrorReportValve) {
                        host.getPipeline().removeValve(valve);
                    }
                }
                host.getPipeline().addValve(new ErrorAnswers.Valve(problems));
                // the host adds a valve of this class when it has none: it finds ours
                ((StandardHost) host).setErrorReportValveClass(ErrorAnswers.Valve.class.getName());
            });
        }

        @Override
        public int getOrder() {
            return Ordered.LOWEST_PRECEDENCE;
        }
    }
}
