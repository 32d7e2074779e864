package io.gitwar.failure;

/** This deployment turned the service off. */
public final class ServiceDisabled extends GitwarException {

    private static final long serialVersionUID = 1L;

    public ServiceDisabled(String message) {
        super(message);
    }
}
