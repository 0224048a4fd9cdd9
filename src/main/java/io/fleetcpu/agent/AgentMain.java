package io.fleetcpu.agent;

/**
 * The agent on its own: {@code java -jar fleetcpu-agent.jar ...}, the small jar the Debian package installs on compute
 * nodes (libvirt access, JSON, the HTTP client and the command line; no Spring, no database). The service jar runs the
 * same command as {@code java -jar fleetcpu.jar agent ...}.
 */
public final class AgentMain {

    private AgentMain() {}

    public static void main(String[] args) {
        System.exit(AgentCommand.runAs("fleetcpu-agent", args));
    }
}
