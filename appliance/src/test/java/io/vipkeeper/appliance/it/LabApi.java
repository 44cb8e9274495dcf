package io.vipkeeper.appliance.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vipkeeper.appliance.api.PrometheusText;
import io.vipkeeper.appliance.api.StatusJson;
import io.vipkeeper.appliance.api.StatusSnapshot;
import java.io.IOException;

/**
 * A node's status API read from inside its namespace with curl, the way a monitoring agent on
 * the host would: {@code /status}, {@code /metrics} and {@code /healthz} of SUBNET.{host}:9180, SUBNET
 * the lab's (198.18.1 unless it was made with another).
 */
final class LabApi {
    private final Lab lab;

    LabApi(Lab lab) {
        this.lab = lab;
    }

    /** An HTTP answer: status code and body. */
    record Answer(int status, String body) {
    }

    /** GET {@code path} from node {@code host}'s API, with curl inside the node's namespace. */
    Answer get(String node, int host, String path) throws IOException, InterruptedException {
        String out = Lab.sh("ip", "netns", "exec", lab.ns(node), "curl", "-sS", "--max-time", "5",
                "-w", "\n%{http_code}", "http://" + lab.subnet() + "." + host + ":9180" + path);
        int nl = out.lastIndexOf('\n');
        return new Answer(Integer.parseInt(out.substring(nl + 1).strip()), out.substring(0, nl));
    }

    /** The node's {@code /status}, which must answer 200. */
    StatusSnapshot status(String node, int host) throws Exception {
        Answer a = get(node, host, "/status");
        assertEquals(200, a.status(), a.body());
        return StatusJson.read(a.body());
    }

    /** The node's {@code /metrics}, which must answer 200. */
    PrometheusText metrics(String node, int host) throws Exception {
        Answer a = get(node, host, "/metrics");
        assertEquals(200, a.status(), a.body());
        return PrometheusText.parse(a.body());
    }

    /** The node's {@code /healthz}; a connection failure reads as status 0. */
    Answer healthz(String node, int host) {
        try {
            return get(node, host, "/healthz");
        } catch (IOException e) {
            return new Answer(0, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(0, "interrupted");
        }
    }
}
