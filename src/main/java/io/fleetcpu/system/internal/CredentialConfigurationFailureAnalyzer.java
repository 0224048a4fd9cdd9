package io.fleetcpu.system.internal;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Says why fleetcpu did not start in one line instead of a stack trace (registered in META-INF/spring.factories). */
class CredentialConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<CredentialConfigurationException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, CredentialConfigurationException cause) {
        return new FailureAnalysis(
                cause.getMessage(),
                "Fix the tokens or token files (fleetcpu.security.*; README.md, section Security) and start again.",
                cause);
    }
}
