package io.fleetcpu.system.internal;

/** The configured credentials cannot be used (a token file missing or empty, a token in two roles): fleetcpu stops. */
class CredentialConfigurationException extends IllegalStateException {

    CredentialConfigurationException(String message) {
        super(message);
    }

    CredentialConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }
}
