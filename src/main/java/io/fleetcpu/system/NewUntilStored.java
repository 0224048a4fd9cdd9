package io.fleetcpu.system;

import jakarta.persistence.MappedSuperclass;
import jakarta.persistence.PostLoad;
import jakarta.persistence.PostPersist;
import jakarta.persistence.Transient;
import org.springframework.data.domain.Persistable;

/**
 * An entity whose id its creator chooses (a host's UUID, an aggregate's name): made new, it is stored with an insert,
 * which fails if another request stored the same id first, instead of being looked for and merged over it.
 */
@MappedSuperclass
public abstract class NewUntilStored<I> implements Persistable<I> {

    @Transient
    private boolean isNew;

    /** Called by the constructor that makes a new one. */
    protected final void made() {
        isNew = true;
    }

    @Override
    public boolean isNew() {
        return isNew;
    }

    @PostPersist
    @PostLoad
    void stored() {
        isNew = false;
    }
}
