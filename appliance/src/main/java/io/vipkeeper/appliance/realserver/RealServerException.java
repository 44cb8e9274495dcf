package io.vipkeeper.appliance.realserver;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

/** A failure of {@code vipkeeper realserver} whose message is the one line an operator sees. */
public final class RealServerException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** {@code message} is complete: what failed and why. */
    public RealServerException(String message) {
        super(message);
    }

    /** {@code what} failed because of {@code e}, said in words rather than as an exception class. */
    static RealServerException because(String what, IOException e) {
        String why;
        if (e instanceof AccessDeniedException) {
            why = "permission denied";
        } else if (e instanceof NoSuchFileException n) {
            why = n.getFile() + " does not exist";
        } else if (e instanceof FileSystemException f && f.getReason() != null) {
            why = f.getReason();
        } else {
            why = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        }
        return new RealServerException(what + ": " + why);
    }
}
