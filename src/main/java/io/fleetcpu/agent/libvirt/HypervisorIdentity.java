package io.fleetcpu.agent.libvirt;

import org.libvirt.Connect;

/**
 * What libvirt-java ({@code org.libvirt.Connect}) says about a connection: the capabilities document and the
 * versions of libvirt and of the hypervisor.
 *
 * @param uri               the connection
 * @param capabilitiesXml   {@code virConnectGetCapabilities}
 * @param libvirtVersion    {@code virConnectGetLibVersion}: the daemon's libvirt, e.g. {@code 9.0.0}
 * @param hypervisorType    {@code virConnectGetType}: {@code QEMU}, {@code TEST}, …
 * @param hypervisorVersion {@code virConnectGetVersion}, e.g. {@code 7.2.0} for QEMU
 */
record HypervisorIdentity(
        String uri, String capabilitiesXml, String libvirtVersion, String hypervisorType, String hypervisorVersion) {

    static HypervisorIdentity read(String uri) {
        Connect connect;
        try {
            connect = new Connect(uri);
        } catch (org.libvirt.LibvirtException e) {
            throw LibvirtConnection.cannotConnect(
                    uri, e.getError().getMessage(), e.getError().getCode().ordinal());
        } catch (LinkageError e) {
            throw new LibvirtException(
                    "libvirt (libvirt.so.0) cannot be loaded by libvirt-java: " + e
                            + " (Debian: apt-get install libvirt0)",
                    e);
        }
        try {
            return new HypervisorIdentity(
                    uri,
                    connect.getCapabilities(),
                    version(connect.getLibVersion()),
                    connect.getType(),
                    version(connect.getVersion()));
        } catch (org.libvirt.LibvirtException e) {
            throw new LibvirtException(
                    uri + ": " + e.getError().getMessage(),
                    e.getError().getCode().ordinal());
        } finally {
            try {
                connect.close();
            } catch (org.libvirt.LibvirtException e) {
                // the answers are in; a failed close (daemon gone) changes none of them
            }
        }
    }

    HypervisorIdentity withCapabilities(String xml) {
        return new HypervisorIdentity(uri, xml, libvirtVersion, hypervisorType, hypervisorVersion);
    }

    boolean isQemu() {
        return "QEMU".equalsIgnoreCase(hypervisorType);
    }

    boolean isTestDriver() {
        return "TEST".equalsIgnoreCase(hypervisorType);
    }

    /** libvirt's encoding: major * 1,000,000 + minor * 1,000 + micro. */
    static String version(long encoded) {
        return (encoded / 1_000_000) + "." + (encoded / 1_000 % 1_000) + "." + (encoded % 1_000);
    }
}
