package io.vipkeeper.appliance.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Programs that are not safe to run are config problems at the line that names them. Owners and
 * modes are set up here, since git keeps neither (the bad-config files cannot carry them); the
 * test's directory is root's 0700 under /tmp (root's, sticky).
 */
class ScriptSecurityConfigTest {
    private static final int NOBODY = 65534;
    private static final String RULE = " (a script and the directories above it must be owned by root and writable"
            + " only by root)";

    @TempDir
    Path dir;

    private Path script(Path where, String mode) throws Exception {
        Files.createDirectories(where.getParent());
        Files.writeString(where, "#!/bin/sh\nexit 0\n");
        Files.setPosixFilePermissions(where, PosixFilePermissions.fromString(mode));
        return where;
    }

    /** The problems of a config whose only script is {@code program} (line 2). */
    private List<String> trackScript(Path program) throws Exception {
        return problems("vipkeeper.vrrp.scripts.chk {\n  command = [\"" + program + "\", \"--quick\"]\n}\n"
                + "vipkeeper.allow-empty = true\n");
    }

    private List<String> problems(String text) throws Exception {
        Path conf = dir.resolve("vipkeeper.conf");
        Files.writeString(conf, text);
        try {
            ConfigLoader.load(conf);
            return List.of();
        } catch (InvalidConfigException e) {
            return e.problems().stream().map(ConfigProblem::format).toList();
        }
    }

    /** What {@link #trackScript} reports for an unsafe {@code program}. */
    private List<String> refused(Path program, String why) {
        return List.of(at(2, "vipkeeper.vrrp.scripts.chk.command", program, why));
    }

    private String at(int line, String key, Path program, String why) {
        return dir.resolve("vipkeeper.conf") + ":" + line + ": " + key + ": \"" + program + "\" is unsafe: " + why + RULE;
    }

    @Test
    void aWorldWritableScriptIsRefused() throws Exception {
        Path s = script(dir.resolve("check"), "rwxrwxrwx");
        assertEquals(refused(s, s + " is writable by others (mode 0777)"), trackScript(s));
    }

    @Test
    void aScriptOwnedByAnotherUserIsRefused() throws Exception {
        Path s = script(dir.resolve("check"), "rwxr-xr-x");
        Files.setAttribute(s, "unix:uid", NOBODY);
        assertEquals(refused(s, s + " is owned by uid 65534, not root"), trackScript(s));
    }

    @Test
    void aScriptWritableByAGroupOtherThanRootIsRefusedByGroupRootIsNot() throws Exception {
        Path s = script(dir.resolve("check"), "rwxrwxr-x");
        assertEquals(List.of(), trackScript(s), "group root may write, as keepalived allows");
        Files.setAttribute(s, "unix:gid", NOBODY);
        assertEquals(refused(s, s + " is writable by group 65534 (mode 0775)"), trackScript(s));
    }

    @Test
    void anUnsafeDirectoryAboveTheScriptIsRefusedUnlessItIsSticky() throws Exception {
        Path d = dir.resolve("scripts");
        Path s = script(d.resolve("check"), "rwxr-xr-x");
        Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertEquals(refused(s, d + " is writable by others (mode 0777)"), trackScript(s));
        Files.setAttribute(d, "unix:mode", 01777);
        assertEquals(List.of(), trackScript(s), "sticky, like /tmp: nobody else can replace root's file in it");
        Files.setAttribute(d, "unix:mode", 0755);
        Files.setAttribute(d, "unix:uid", NOBODY);
        assertEquals(refused(s, d + " is owned by uid 65534, not root"), trackScript(s));
    }

    @Test
    void aSymbolicLinkMustBeRootsAndLeadToASafeFile() throws Exception {
        Path target = script(dir.resolve("real/check"), "rwxr-xr-x");
        Path link = Files.createSymbolicLink(dir.resolve("check"), target);
        assertEquals(List.of(), trackScript(link));
        Files.setAttribute(link, "unix:uid", NOBODY, LinkOption.NOFOLLOW_LINKS);
        assertEquals(refused(link, link + " is owned by uid 65534, not root"), trackScript(link));
        Files.setAttribute(link, "unix:uid", 0, LinkOption.NOFOLLOW_LINKS);
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertEquals(refused(link, target + " is writable by others (mode 0777)"), trackScript(link));
    }

    @Test
    void aScriptThatDoesNotExistYetIsNoConfigProblem() throws Exception {
        assertEquals(List.of(), trackScript(dir.resolve("later/check")));
    }

    @Test
    void everyKeyThatNamesAProgramIsChecked() throws Exception {
        Path s = script(dir.resolve("notify"), "rwxrwxrwx");
        String why = s + " is writable by others (mode 0777)";
        assertEquals(List.of(
                at(5, "vipkeeper.vrrp.instances.web.notify-script", s, why),
                // The real server inherits the same check: said once, at the virtual server.
                at(10, "vipkeeper.ipvs.virtual-servers.web.health-check.script.command", s, why),
                at(12, "vipkeeper.ipvs.virtual-servers.web.real-servers[0].notify-up", s, why),
                at(12, "vipkeeper.ipvs.virtual-servers.web.real-servers[0].notify-down", s, why)),
                problems(String.join("\n",
                        "vipkeeper.vrrp.instances.web {",
                        "  interface = eth0",
                        "  virtual-router-id = 51",
                        "  virtual-ips = [\"198.18.0.100/24\"]",
                        "  notify-script = \"" + s + "\"",
                        "}",
                        "vipkeeper.ipvs.virtual-servers.web {",
                        "  address = \"198.18.0.100\"",
                        "  port = 80",
                        "  health-check { type = script, script.command = [\"" + s + "\"] }",
                        "  real-servers = [",
                        "    { address = \"198.18.1.21\", notify-up = \"" + s + "\", notify-down = \"" + s + "\" }",
                        "  ]",
                        "}", "")));
    }

    /** Found by bench-fuzz: a NUL in a command threw InvalidPathException out of the loader. */
    @Test
    void aCommandWithANulIsAProblemNotAnException() {
        org.junit.jupiter.api.Assertions.assertTrue(ScriptSecurity.problemIfExists("/bin/pidof\0haproxy").orElseThrow()
                .contains("is not a valid path"));
    }
}
