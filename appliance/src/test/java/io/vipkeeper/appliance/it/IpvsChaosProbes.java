package io.vipkeeper.appliance.it;

import io.vipkeeper.appliance.api.StatusJson;
import io.vipkeeper.appliance.api.StatusSnapshot;
import io.vipkeeper.appliance.vm.Shell;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What the IPVS fault lab runs from a thread that has entered the load balancer's namespace (its
 * children and sockets are there): commands such as ipvsadm and nft, the daemon's status API, and
 * whether a backend's port accepts connections.
 */
final class IpvsChaosProbes {
    private IpvsChaosProbes() {
    }

    /** Runs {@code cmd} with {@code stdin} (null: none); stdout and stderr together; at most 30 s. */
    static Shell.Result run(String stdin, List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            try (OutputStream in = p.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Shell.Result(-1, String.join(" ", cmd) + " did not finish within 30 s");
            }
            return new Shell.Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Shell.Result(-1, String.join(" ", cmd) + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Shell.Result(-1, "interrupted");
        }
    }

    /** {@code run(null, cmd)} split on spaces. */
    static Shell.Result run(String cmd) {
        return run(null, List.of(cmd.split(" ")));
    }

    /** The daemon's {@code /status} from its API ({@link IpvsChaosConfig#API}), or null when it does not answer 200 within 3 s. */
    static StatusSnapshot status() {
        String[] hostPort = IpvsChaosConfig.API.split(":");
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])), 3000);
            s.setSoTimeout(3000);
            s.getOutputStream().write(("GET /status HTTP/1.1\r\nHost: " + IpvsChaosConfig.API
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int body = answer.indexOf("\r\n\r\n");
            if (!answer.startsWith("HTTP/1.1 200") || body < 0) {
                return null;
            }
            return StatusJson.read(answer.substring(body + 4));
        } catch (IOException e) {
            return null;
        }
    }

    /** Whether 198.18.1.{octet}:80 accepts a TCP connection within 500 ms. */
    static boolean accepts(int octet) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("198.18.1." + octet, 80), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
