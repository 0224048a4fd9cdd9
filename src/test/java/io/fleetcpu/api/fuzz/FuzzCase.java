package io.fleetcpu.api.fuzz;

import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * One generated request: a valid body (named, not shown: it holds whole libvirt documents), the changes made to
 * it, and how it travels. What a failure report prints.
 */
record FuzzCase(
        String method,
        String path,
        Map<String, String> headers,
        Valid valid,
        List<JsonMutation> mutations,
        Transport transport) {

    /** A valid body and what it is, in a few words. */
    record Valid(String label, JsonNode body) {
        @Override
        public String toString() {
            return label;
        }
    }

    String json() {
        JsonNode body = valid.body().deepCopy();
        for (JsonMutation m : mutations) {
            body = m.apply(body);
        }
        return JsonMutation.write(body);
    }

    byte[] body() {
        return transport.body(json());
    }

    @Override
    public String toString() {
        return method + " " + path + (headers.isEmpty() ? "" : " " + headers) + "\n  valid: " + valid
                + "\n  mutations: " + mutations + "\n  transport: " + transport;
    }
}
