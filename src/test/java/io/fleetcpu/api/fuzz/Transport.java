package io.fleetcpu.api.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** How the body travels: as JSON, or with the wrong Content-Type, broken, cut, or as bytes that are not UTF-8. */
sealed interface Transport {

    String JSON = "application/json";

    /** The Content-Type header sent, or null for none. */
    default String contentType() {
        return JSON;
    }

    byte[] body(String json);

    record AsJson() implements Transport {
        public byte[] body(String json) {
            return json.getBytes(StandardCharsets.UTF_8);
        }
    }

    /** Another Content-Type (or none) with the same body. */
    record ContentType(String type) implements Transport {
        @Override
        public String contentType() {
            return type;
        }

        public byte[] body(String json) {
            return json.getBytes(StandardCharsets.UTF_8);
        }
    }

    /** The body cut short: {@code permille} of it is sent. */
    record Cut(int permille) implements Transport {
        public byte[] body(String json) {
            byte[] all = json.getBytes(StandardCharsets.UTF_8);
            return Arrays.copyOf(all, (int) ((long) all.length * permille / 1000));
        }
    }

    /** Something after the JSON value. */
    record Append(String tail) implements Transport {
        public byte[] body(String json) {
            return (json + tail).getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return "Append[" + Shown.text(tail) + "]";
        }
    }

    /** Another text instead of the body: broken JSON, JSON of another shape, nothing. */
    record Instead(String text) implements Transport {
        public byte[] body(String json) {
            return text.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return "Instead[" + Shown.text(text) + "]";
        }
    }

    /** Bytes before the body: a BOM, invalid UTF-8, NUL. */
    record Prefix(byte[] bytes) implements Transport {
        public byte[] body(String json) {
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            byte[] all = Arrays.copyOf(bytes, bytes.length + body.length);
            System.arraycopy(body, 0, all, bytes.length, body.length);
            return all;
        }

        @Override
        public String toString() {
            return "Prefix[" + Shown.bytes(bytes) + "]";
        }
    }

    /** Random bytes instead of the body. */
    record Bytes(byte[] bytes) implements Transport {
        public byte[] body(String json) {
            return bytes;
        }

        @Override
        public String toString() {
            return "Bytes[" + Shown.bytes(bytes) + "]";
        }
    }

    /** The JSON in UTF-16, still labelled application/json. */
    record Utf16() implements Transport {
        public byte[] body(String json) {
            return json.getBytes(StandardCharsets.UTF_16);
        }
    }
}
