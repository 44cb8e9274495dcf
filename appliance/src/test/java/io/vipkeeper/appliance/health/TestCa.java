package io.vipkeeper.appliance.health;

import java.nio.file.Files;
import java.nio.file.Path;

/** A throwaway CA and server certificate made with the openssl command, for https tests. */
final class TestCa {
    private TestCa() {
    }

    /** Writes ca.pem, server.pem/server.key (for {@code name}) and an unrelated other-ca.pem into {@code dir}. */
    static void create(Path dir, String name) throws Exception {
        ca(dir, "ca");
        ca(dir, "other-ca");
        Files.writeString(dir.resolve("server.ext"), "subjectAltName=DNS:" + name + "\n");
        openssl(dir, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=" + name);
        openssl(dir, "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", "server.pem", "-days", "2", "-extfile", "server.ext");
    }

    private static void ca(Path dir, String file) throws Exception {
        openssl(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", file + ".key", "-out", file + ".pem", "-days", "2", "-subj", "/CN=vipkeeper " + file,
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign");
    }

    private static void openssl(Path dir, String... args) throws Exception {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "openssl";
        System.arraycopy(args, 0, cmd, 1, args.length);
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException("openssl " + String.join(" ", args) + ": " + out);
        }
    }
}
