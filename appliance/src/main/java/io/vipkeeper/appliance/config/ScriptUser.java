package io.vipkeeper.appliance.config;

/**
 * The user and group a program runs as ({@code script-user}), resolved when the config is read.
 *
 * @param name as written: {@code USER} or {@code USER:GROUP}
 * @param uid the user's id
 * @param gid the group's id: GROUP's, else the user's primary group
 */
public record ScriptUser(String name, int uid, int gid) {
    @Override
    public String toString() {
        return name + " (" + uid + ":" + gid + ")";
    }
}
