package io.fleetcpu.api.fuzz;

/** Text as a failure report shows it: control characters and surrogates escaped, long runs cut. */
final class Shown {

    private static final int LIMIT = 160;

    private Shown() {}

    static String text(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder("\"");
        int shown = Math.min(text.length(), LIMIT);
        for (int i = 0; i < shown; i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f || Character.isSurrogate(c) || (c >= 0x80 && c < 0xa0)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        out.append('"');
        if (text.length() > LIMIT) {
            out.append("…(").append(text.length()).append(" chars)");
        }
        return out.toString();
    }

    static String bytes(byte[] bytes) {
        StringBuilder out = new StringBuilder("0x");
        for (int i = 0; i < Math.min(bytes.length, LIMIT / 2); i++) {
            out.append(String.format("%02x", bytes[i]));
        }
        return bytes.length > LIMIT / 2 ? out + "…(" + bytes.length + " bytes)" : out.toString();
    }
}
