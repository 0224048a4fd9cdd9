package io.fleetcpu.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * HTTP to a fleetcpu service listening on a local port, as the system tests call it: requests to a path, answers as
 * text, an I/O failure as {@link UncheckedIOException}.
 */
final class ServiceClient {

    private final HttpClient http;
    private final int port;

    ServiceClient(HttpClient http, int port) {
        this.http = http;
        this.port = port;
    }

    /** A request to this path of the service, to be completed (method, headers) and {@link #send sent}. */
    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
    }

    HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
