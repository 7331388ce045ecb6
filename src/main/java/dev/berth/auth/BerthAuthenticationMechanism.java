package dev.berth.auth;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.credential.PasswordCredential;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.identity.request.UsernamePasswordAuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpCredentialTransport;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/**
 * Berth's three ways in: the {@code berth_session} cookie set by {@code POST /api/session} (browsers), HTTP
 * Basic over the same accounts, and personal API tokens as {@code Authorization: Bearer berth_...} (scripts).
 * An unknown or expired cookie counts as no credentials, so public pages keep working; wrong Basic credentials
 * and unknown, revoked or expired tokens are a failure (401).
 *
 * <p>No {@code WWW-Authenticate: Basic} challenge is sent: it would make browsers pop up their own login
 * dialog over the console's. Scripts send Basic credentials up front ({@code curl -u}).
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class BerthAuthenticationMechanism implements HttpAuthenticationMechanism {

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identities) {
        String authorization = context.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            String[] userAndPassword = decodeBasic(authorization.substring(6).trim());
            if (userAndPassword == null) {
                return Uni.createFrom().failure(new AuthenticationFailedException("Malformed Basic credentials"));
            }
            return identities.authenticate(new UsernamePasswordAuthenticationRequest(userAndPassword[0],
                    new PasswordCredential(userAndPassword[1].toCharArray())));
        }
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return identities.authenticate(new ApiTokenRequest(authorization.substring(7).trim()));
        }
        Cookie cookie = context.request().getCookie(SessionCookie.NAME);
        if (cookie != null && !cookie.getValue().isEmpty()) {
            return identities.authenticate(new SessionTokenRequest(cookie.getValue()))
                    .onFailure(AuthenticationFailedException.class).recoverWithNull();
        }
        return Uni.createFrom().nullItem();
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, null, null));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(UsernamePasswordAuthenticationRequest.class, SessionTokenRequest.class, ApiTokenRequest.class);
    }

    @Override
    public Uni<HttpCredentialTransport> getCredentialTransport(RoutingContext context) {
        return Uni.createFrom().item(new HttpCredentialTransport(HttpCredentialTransport.Type.COOKIE, SessionCookie.NAME));
    }

    private static String[] decodeBasic(String encoded) {
        try {
            String plain = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
            int colon = plain.indexOf(':');
            return colon <= 0 ? null : new String[] { plain.substring(0, colon), plain.substring(colon + 1) };
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
