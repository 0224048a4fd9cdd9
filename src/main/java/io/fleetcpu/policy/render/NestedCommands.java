package io.fleetcpu.policy.render;

import java.util.List;

/**
 * The shell commands an operator runs on a host to turn nested virtualisation on: rendering, not policy. The
 * engine decides which hosts need it and which kvm module they load; this writes how to do it.
 */
public final class NestedCommands {

    private NestedCommands() {}

    /**
     * Turns nested virtualisation on in a kvm module, now and after a reboot.
     *
     * @param module {@code kvm_intel} or {@code kvm_amd}
     */
    public static List<String> enableNested(String module) {
        return List.of(
                "modprobe -r " + module + "   # with no guests running on the host",
                "modprobe " + module + " nested=1",
                "echo 'options " + module + " nested=1' > /etc/modprobe.d/" + module + "-nested.conf"
                        + "   # keeps it after a reboot");
    }
}
