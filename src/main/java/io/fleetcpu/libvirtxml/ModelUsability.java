package io.fleetcpu.libvirtxml;

/** {@code <model usable='yes|no|unknown'>} in domain capabilities: can the host run this named model as it is. */
public enum ModelUsability {
    YES,
    NO,
    UNKNOWN
}
