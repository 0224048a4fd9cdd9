package io.fleetcpu.agent;

/** The agent's exit codes; {@code agent --help} lists them, and systemd shows them in {@code systemctl status}. */
public final class ExitStatus {

    /** The server accepted the registration (or {@code --dry-run} printed it). */
    public static final int REGISTERED = 0;
    /** The server answered with a 4xx other than 429: retrying would not help. */
    public static final int REFUSED = 1;
    /** The command line is wrong (unknown option, bad value, missing or empty token file). */
    public static final int USAGE = 2;
    /** The host's facts could not be collected (libvirt, /proc, /sys), so nothing was sent. */
    public static final int NOT_COLLECTED = 3;
    /** The server could not be reached, or kept failing, until the deadline. */
    public static final int UNREACHABLE = 4;

    private ExitStatus() {}
}
