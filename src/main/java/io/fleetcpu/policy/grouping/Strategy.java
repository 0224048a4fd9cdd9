package io.fleetcpu.policy.grouping;

import java.util.Arrays;
import java.util.Locale;

/** How to trade migration freedom (fewer, larger domains) against guest features (what each host gives up). */
public enum Strategy {

    /**
     * Every host keeps every feature it has: hosts share a domain only when their CPUs expand to the same features,
     * so no host ever gives anything up. The most domains.
     */
    MAX_FEATURES("max-features"),

    /**
     * As few domains as possible while every domain's guest CPU keeps at least the minimum model: one domain per
     * vendor among the hosts that meet it (and one per vendor for those that do not), whatever features that costs.
     */
    MIN_DOMAINS("min-domains");

    private final String operatorName;

    Strategy(String operatorName) {
        this.operatorName = operatorName;
    }

    /** The name operators type: {@code max-features}, {@code min-domains}. */
    public String operatorName() {
        return operatorName;
    }

    /** Accepts the operator name or the constant name, in any case. */
    public static Strategy parse(String name) {
        for (Strategy s : values()) {
            if (s.operatorName.equalsIgnoreCase(name) || s.name().equalsIgnoreCase(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown grouping strategy '" + name + "'; use one of "
                + Arrays.stream(values()).map(Strategy::operatorName).toList());
    }

    @Override
    public String toString() {
        return operatorName.toLowerCase(Locale.ROOT);
    }
}
