package io.vipkeeper.appliance.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.ssl.SslContextBuilder;
import io.vipkeeper.appliance.config.ApiSettings;
import io.vipkeeper.appliance.config.TokenFile;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Who asks, and whether it may write: by token over TCP, by peer credentials on the control socket. */
class CallerTest {
    private static final String OPS = "0123456789abcdef0123456789abcdef";
    private static final TokenFile.Tokens TOKENS = new TokenFile.Tokens(List.of(new TokenFile.Token("ops", OPS)));

    @TempDir
    Path dir;

    private static ApiSettings api(boolean write) {
        return new ApiSettings(Optional.of(new InetSocketAddress("127.0.0.1", 9180)), 8, 8, Duration.ofSeconds(10),
                Optional.empty(), write, TOKENS, Optional.empty());
    }

    private static Caller tcp(String token, boolean presented) {
        return new Caller(Caller.Transport.HTTPS, null, token, presented, "198.18.250.50", null);
    }

    private ControlAccess access() throws Exception {
        Path passwd = Files.writeString(dir.resolve("passwd"), "root:x:0:0::/root:/bin/sh\nnobody:x:65534:65534::/:/bin/sh\n");
        Path group = Files.writeString(dir.resolve("group"), "root:x:0:\n");
        return new ControlAccess(passwd, group);
    }

    @Test
    void aValidTokenMayWriteWhenWritesAreOn() throws Exception {
        Caller c = tcp("ops", true);
        assertEquals(Optional.empty(), c.refusal(api(true), access()));
        assertEquals("token ops over https from 198.18.250.50", c.who());
    }

    @Test
    void withWritesOffEvenAValidTokenIsRefusedAndToldHowToTurnThemOn() throws Exception {
        Caller.Refusal r = tcp("ops", true).refusal(api(false), access()).orElseThrow();
        assertEquals("writes_off", r.reason());
        assertEquals(HttpResponseStatus.FORBIDDEN, r.status());
        assertTrue(r.message().contains("set api.write = on"), r.message());
        assertFalse(r.challenge());
    }

    @Test
    void aMissingOrWrongTokenIsUnauthorizedWithAChallenge() throws Exception {
        Caller.Refusal none = tcp(null, false).refusal(api(true), access()).orElseThrow();
        assertEquals("unauthorized", none.reason());
        assertEquals(HttpResponseStatus.UNAUTHORIZED, none.status());
        assertTrue(none.challenge());
        assertTrue(none.message().contains("Authorization: Bearer TOKEN"), none.message());
        Caller wrong = tcp(null, true);
        assertEquals("the bearer token is not one of api.token-file's", wrong.refusal(api(true), access()).orElseThrow()
                .message());
        assertEquals("a client over https from 198.18.250.50 (wrong token)", wrong.who());
        assertEquals("a client over https from 198.18.250.50 (no token)", tcp(null, false).who());
    }

    @Test
    void onTheControlSocketPeerCredentialsDecideAndTokensAndWriteDoNot() throws Exception {
        ControlAccess access = access();
        Caller root = new Caller(Caller.Transport.CONTROL_SOCKET, access.peer(0, new int[] {0}), null, false, null, null);
        assertEquals(Optional.empty(), root.refusal(api(false), access), "api.write is about TCP only");
        assertEquals("uid 0 (root)", root.who());
        Caller nobody = new Caller(Caller.Transport.CONTROL_SOCKET, access.peer(65534, new int[] {65534}), null, false,
                null, null);
        Caller.Refusal r = nobody.refusal(api(true), access).orElseThrow();
        assertEquals("forbidden", r.reason());
        assertEquals(HttpResponseStatus.FORBIDDEN, r.status());
        Caller unreadable = new Caller(Caller.Transport.CONTROL_SOCKET, null, null, false, null, "EBADF");
        assertEquals("forbidden", unreadable.refusal(api(true), access).orElseThrow().reason());
    }

    @Test
    void aTcpCallerIsNamedByTheTokenItPresentsAndItsTransport() throws Exception {
        HttpHeaders h = new DefaultHttpHeaders().set("Authorization", "Bearer " + OPS);
        EmbeddedChannel plain = new EmbeddedChannel();
        Caller c = Caller.of(plain, h, access(), api(true));
        assertEquals(Caller.Transport.HTTP, c.transport());
        assertEquals("ops", c.token());
        assertTrue(c.remote());

        EmbeddedChannel tls = new EmbeddedChannel(SslContextBuilder.forClient().build().newHandler(plain.alloc()));
        Caller wrong = Caller.of(tls, new DefaultHttpHeaders().set("Authorization", "Bearer " + OPS.replace('0', '1')),
                access(), api(true));
        assertEquals(Caller.Transport.HTTPS, wrong.transport());
        assertEquals(null, wrong.token());
        assertTrue(wrong.presented());
        plain.finishAndReleaseAll();
        tls.finishAndReleaseAll();
    }
}
