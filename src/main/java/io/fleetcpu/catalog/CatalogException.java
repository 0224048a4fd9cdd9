package io.fleetcpu.catalog;

/** The cpu_map cannot be read or is inconsistent; the service cannot answer without it. */
public class CatalogException extends RuntimeException {

    public CatalogException(String message) {
        super(message);
    }

    public CatalogException(String message, Throwable cause) {
        super(message, cause);
    }
}
