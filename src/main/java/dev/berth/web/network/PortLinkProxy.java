package dev.berth.web.network;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.berth.engine.network.NetworkService;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.smallrye.mutiny.Uni;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.WriteStream;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Port links: {@code /ports/{container}/{port}/...} (and, with {@code berth.ports.base-domain}, the host
 * {@code {port}-{container}.<base domain>}) reverse-proxy HTTP and WebSocket traffic to the container's
 * address on its network, so a browser opens a service that has no published port.
 *
 * <p>It is a Vert.x route, not a REST resource: requests and responses stream through (no buffering, back
 * pressure both ways), upgrades are proxied frame by frame, and it runs on the event loop. The caller must be
 * signed in (the request's {@link SecurityIdentity}) and may see the container (its owner, an admin, or whom
 * a {@code ResourceAccessRule} lets see it); other containers answer as stopped ones. Berth's own credentials (the Authorization header and the session cookies listed in
 * {@code berth.ports.private-cookies}) never reach the container. In path mode the proxied page shares the
 * console's origin, so responses carry {@code Content-Security-Policy: sandbox ...} (no allow-same-origin):
 * the page's scripts run in an opaque origin and cannot call the console's API with the user's cookies.
 * docs/port-links.md explains what that and the path prefix break, and when to use the host mode instead.
 */
@ApplicationScoped
public class PortLinkProxy {

    private static final Logger LOG = Logger.getLogger(PortLinkProxy.class);
    private static final Pattern PATH = Pattern.compile("^/ports/([^/]+)/([^/]+)(/.*)?$");
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "host");
    private static final String SANDBOX = "sandbox allow-scripts allow-forms allow-popups allow-modals allow-downloads "
            + "allow-popups-to-escape-sandbox";

    /** Looked up on first use: routes are registered at start, networking is set up lazily in tests. */
    @Inject
    jakarta.enterprise.inject.Instance<NetworkService> networks;
    @Inject
    PortLinkSettings settings;
    @Inject
    jakarta.enterprise.inject.Instance<dev.berth.engine.container.ContainerService> containers;
    @Inject
    dev.berth.ownership.Ownership ownership;
    @Inject
    Vertx vertx;

    private HttpClient http;
    private WebSocketClient webSockets;
    private Pattern hostPattern;

    void routes(@Observes Router router) {
        http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setMaxPoolSize(64)
                .setConnectTimeout(5_000).setDecompressionSupported(false));
        webSockets = vertx.createWebSocketClient(new WebSocketClientOptions().setConnectTimeout(5_000).setMaxFrameSize(16 << 20)
                .setMaxMessageSize(16 << 20));
        settings.baseDomain().filter(d -> !d.isBlank()).ifPresent(domain -> {
            hostPattern = Pattern.compile("^([0-9]{1,5})-([a-zA-Z0-9][a-zA-Z0-9_-]*)\\." + Pattern.quote(domain) + "(:[0-9]+)?$",
                    Pattern.CASE_INSENSITIVE);
            // after Quarkus' authentication handler (so the identity is known), before REST, Quinoa and other routes
            router.route().order(0).handler(this::byHost);
        });
        router.routeWithRegex("^/ports/.*").handler(this::byPath);
    }

    private void byHost(RoutingContext ctx) {
        String host = ctx.request().authority() == null ? ctx.request().getHeader("Host") : ctx.request().authority().toString();
        Matcher m = host == null ? null : hostPattern.matcher(host);
        if (m == null || !m.matches()) {
            ctx.next();
            return;
        }
        String uri = ctx.request().uri();
        authorized(ctx, m.group(2), () -> proxy(ctx, m.group(2), m.group(1), uri, ""));
    }

    private void byPath(RoutingContext ctx) {
        Matcher m = PATH.matcher(ctx.request().path());
        if (!m.matches()) {
            error(ctx, 404, "port_link_invalid", "A port link looks like /ports/{container}/{port}/.");
            return;
        }
        String container = m.group(1);
        String port = m.group(2);
        String prefix = "/ports/" + container + "/" + port;
        if (m.group(3) == null) {
            // relative links of the page only resolve under the prefix when the path ends with a slash
            String query = ctx.request().query();
            ctx.response().setStatusCode(308).putHeader(HttpHeaders.LOCATION, prefix + "/" + (query == null ? "" : "?" + query)).end();
            return;
        }
        String rest = ctx.request().uri().substring(ctx.request().uri().indexOf(prefix) + prefix.length());
        authorized(ctx, container, () -> proxy(ctx, container, port, rest, prefix));
    }

    /**
     * Runs {@code then} when the request carries a signed-in identity that may see {@code container}; answers 401 to
     * anonymous callers and, for containers they may not see, exactly what a stopped or missing container answers.
     */
    private void authorized(RoutingContext ctx, String container, Runnable then) {
        ctx.request().pause();
        Uni<SecurityIdentity> deferred = ctx.get(QuarkusHttpUser.DEFERRED_IDENTITY_KEY);
        if (deferred == null) {
            QuarkusHttpUser user = (QuarkusHttpUser) ctx.user();
            decide(ctx, user == null ? null : user.getSecurityIdentity(), container, then);
            return;
        }
        io.vertx.core.Context context = Vertx.currentContext();
        deferred.subscribe().with(identity -> onContext(context, () -> decide(ctx, identity, container, then)),
                failure -> onContext(context, () -> decide(ctx, null, container, then)));
    }

    private static void onContext(io.vertx.core.Context context, Runnable r) {
        if (context == null || Vertx.currentContext() == context) {
            r.run();
        } else {
            context.runOnContext(v -> r.run());
        }
    }

    private void decide(RoutingContext ctx, SecurityIdentity identity, String container, Runnable then) {
        if (identity == null || identity.isAnonymous()) {
            error(ctx, 401, "unauthenticated", "Log in first to open a container's port.");
            return;
        }
        dev.berth.ownership.Requester who = dev.berth.web.ownership.AccessGuard.requester(identity);
        if (who.admin()) {
            then.run(); // admins reach every container
            return;
        }
        io.vertx.core.Context context = Vertx.currentContext();
        // access rules may read the database: off the event loop
        vertx.executeBlocking(() -> mayUse(who, container)).onComplete(r -> onContext(context, () -> {
            if (r.succeeded() && Boolean.TRUE.equals(r.result())) {
                then.run();
            } else {
                notReachable(ctx, container);
            }
        }));
    }

    /** Port links follow container access: whoever may see the container may open its ports. */
    private boolean mayUse(dev.berth.ownership.Requester who, String container) {
        try {
            var c = containers.get().inspect(container);
            return ownership.mayRead(who, dev.berth.web.ownership.AccessGuard.container(c));
        } catch (dev.berth.engine.EngineException missing) {
            return false;
        }
    }

    private void notReachable(RoutingContext ctx, String container) {
        error(ctx, 404, "container_not_reachable", "Container '" + container
                + "' is not running or has no network address (network modes none and host have no port links).");
    }

    private void proxy(RoutingContext ctx, String container, String portText, String uri, String prefix) {
        int port;
        try {
            port = Integer.parseInt(portText);
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 1 || port > 65535) {
            error(ctx, 400, "invalid_port", "'" + portText + "' is not a port number between 1 and 65535.");
            return;
        }
        Optional<String> address = networks.get().addressOf(container);
        if (address.isEmpty()) {
            notReachable(ctx, container);
            return;
        }
        HttpServerRequest req = ctx.request();
        String upgrade = req.getHeader(HttpHeaders.UPGRADE);
        if (upgrade != null && upgrade.equalsIgnoreCase("websocket")) {
            proxyWebSocket(ctx, address.get(), port, uri, prefix);
        } else {
            proxyHttp(ctx, address.get(), port, uri, prefix);
        }
    }

    private void proxyHttp(RoutingContext ctx, String ip, int port, String uri, String prefix) {
        HttpServerRequest req = ctx.request();
        RequestOptions options = new RequestOptions().setMethod(req.method()).setHost(ip).setPort(port).setURI(uri);
        MultiMap headers = forwardedHeaders(req, prefix);
        http.request(options).onSuccess(upstream -> {
            upstream.headers().setAll(headers);
            boolean hasBody = req.headers().contains(HttpHeaders.CONTENT_LENGTH) || req.headers().contains(HttpHeaders.TRANSFER_ENCODING);
            var sent = hasBody ? upstream.send(req) : upstream.send();
            if (!hasBody) {
                req.resume();
            }
            sent.onSuccess(response -> relay(ctx, response, ip, port, prefix))
                    .onFailure(e -> badGateway(ctx, ip, port, e));
        }).onFailure(e -> badGateway(ctx, ip, port, e));
    }

    private void relay(RoutingContext ctx, HttpClientResponse response, String ip, int port, String prefix) {
        HttpServerResponse out = ctx.response();
        out.setStatusCode(response.statusCode());
        out.setStatusMessage(response.statusMessage());
        for (var h : response.headers()) {
            if (!HOP_BY_HOP.contains(h.getKey().toLowerCase(Locale.ROOT))) {
                out.headers().add(h.getKey(), h.getValue());
            }
        }
        String location = response.getHeader(HttpHeaders.LOCATION);
        if (location != null) {
            out.headers().set(HttpHeaders.LOCATION, rewriteLocation(location, ip, port, prefix));
        }
        if (!prefix.isEmpty()) {
            out.headers().set("Content-Security-Policy", SANDBOX);
        }
        if (!response.headers().contains(HttpHeaders.CONTENT_LENGTH)) {
            out.setChunked(true);
        }
        response.pipeTo(out).onFailure(e -> LOG.debugf("port link response to %s:%d ended early: %s", ip, port, e.getMessage()));
    }

    /** A redirect to "/x" (or to the container's own address) must stay under the link's prefix. */
    static String rewriteLocation(String location, String ip, int port, String prefix) {
        String own = "http://" + ip + ":" + port;
        if (location.startsWith(own)) {
            location = location.substring(own.length());
            if (location.isEmpty()) {
                location = "/";
            }
        }
        return location.startsWith("/") && !location.startsWith("//") ? prefix + location : location;
    }

    private void proxyWebSocket(RoutingContext ctx, String ip, int port, String uri, String prefix) {
        HttpServerRequest req = ctx.request();
        WebSocketConnectOptions options = new WebSocketConnectOptions().setHost(ip).setPort(port).setURI(uri);
        MultiMap headers = forwardedHeaders(req, prefix);
        for (var h : headers) {
            if (!h.getKey().toLowerCase(Locale.ROOT).startsWith("sec-websocket-")) {
                options.addHeader(h.getKey(), h.getValue());
            }
        }
        webSockets.connect(options).onSuccess(upstream -> {
            req.resume();
            req.toWebSocket().onSuccess(downstream -> {
                pipe(downstream, upstream);
                pipe(upstream, downstream);
            }).onFailure(e -> upstream.close());
        }).onFailure(e -> badGateway(ctx, ip, port, e));
    }

    /** Copies messages from one socket to the other, keeping text and binary apart, with back pressure. */
    private static void pipe(io.vertx.core.http.WebSocketBase from, io.vertx.core.http.WebSocketBase to) {
        from.textMessageHandler(text -> {
            to.writeTextMessage(text);
            throttle(from, to);
        });
        from.binaryMessageHandler(data -> {
            to.writeBinaryMessage(data);
            throttle(from, to);
        });
        from.closeHandler(v -> {
            if (!to.isClosed()) {
                Short status = from.closeStatusCode();
                to.close(status == null || status == 1005 || status == 1006 ? 1000 : status, from.closeReason());
            }
        });
        from.exceptionHandler(e -> to.close());
    }

    private static void throttle(io.vertx.core.http.WebSocketBase from, WriteStream<?> to) {
        if (to.writeQueueFull()) {
            from.pause();
            to.drainHandler(v -> from.resume());
        }
    }

    private MultiMap forwardedHeaders(HttpServerRequest req, String prefix) {
        MultiMap out = MultiMap.caseInsensitiveMultiMap();
        Set<String> privateCookies = Set.copyOf(settingsCookies());
        for (var h : req.headers()) {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            if (HOP_BY_HOP.contains(name) || name.equals("authorization") || name.startsWith("x-forwarded-")) {
                continue;
            }
            if (name.equals("cookie")) {
                String kept = stripCookies(h.getValue(), privateCookies);
                if (!kept.isEmpty()) {
                    out.add("Cookie", kept);
                }
                continue;
            }
            out.add(h.getKey(), h.getValue());
        }
        String host = req.getHeader(HttpHeaders.HOST);
        if (host != null) {
            out.set("Host", host);
            out.set("X-Forwarded-Host", host);
        }
        out.set("X-Forwarded-Proto", req.scheme() == null ? "http" : req.scheme());
        if (req.remoteAddress() != null) {
            out.set("X-Forwarded-For", req.remoteAddress().hostAddress());
        }
        if (!prefix.isEmpty()) {
            out.set("X-Forwarded-Prefix", prefix);
        }
        return out;
    }

    private List<String> settingsCookies() {
        return settings.privateCookies();
    }

    static String stripCookies(String header, Set<String> names) {
        StringBuilder kept = new StringBuilder();
        for (String part : header.split(";")) {
            String p = part.trim();
            int eq = p.indexOf('=');
            String name = eq < 0 ? p : p.substring(0, eq);
            if (!p.isEmpty() && !names.contains(name)) {
                kept.append(kept.length() == 0 ? "" : "; ").append(p);
            }
        }
        return kept.toString();
    }

    private static void badGateway(RoutingContext ctx, String ip, int port, Throwable e) {
        error(ctx, 502, "port_unreachable", "Nothing answered on port " + port + " of the container (" + ip + ":" + port
                + "): " + e.getMessage() + ". Is the service listening on all interfaces (0.0.0.0), not only on 127.0.0.1?");
    }

    private static void error(RoutingContext ctx, int status, String code, String message) {
        if (ctx.response().headWritten()) {
            ctx.response().reset();
            return;
        }
        ctx.request().resume();
        ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(new JsonObject().put("error", code).put("message", message).encode());
    }
}
