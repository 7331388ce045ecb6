package dev.berth.database;

import com.sun.security.auth.module.UnixSystem;

/** Facts about the operating-system user this JVM runs as. */
final class RunningUser {
    private RunningUser() {
    }

    static boolean isRoot() {
        return new UnixSystem().getUid() == 0;
    }
}
