package io.podhogs.accounting;

import java.util.Locale;

/** The sorts of account, as JSON's {@code kind} names them. */
public enum AccountKind {
    PROCESS, UNKNOWN, UNTRACKED, FORWARDED, ENCAPSULATED, EXITED_PROCESSES, DELETED_PODS, CONTAINER, POD, NAMESPACE,
    WORKLOAD, APP, FILTERED, INTERFACE, CONNECTION, PORT;

    /** "process", "deleted_pods" ... */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Bytes an interface carried for others (see attribution.TransitOwner). */
    public boolean transit() {
        return this == FORWARDED || this == ENCAPSULATED;
    }
}
