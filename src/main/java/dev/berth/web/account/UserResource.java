package dev.berth.web.account;

import java.time.Instant;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.berth.account.Role;
import dev.berth.account.User;
import dev.berth.account.UserService;
import dev.berth.web.ApiException;
import io.quarkus.security.identity.SecurityIdentity;

/** Administration of accounts. */
@Path("/users")
@RolesAllowed("admin")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class UserResource {

    public record UserView(long id, String username, String displayName, String role, boolean disabled,
            boolean mustChangePassword, Instant createdAt, Instant lastLoginAt, boolean mayPull) {
        static UserView of(User u) {
            return new UserView(u.id, u.username, u.displayName, u.role.id(), u.disabled, u.mustChangePassword,
                    u.createdAt, u.lastLoginAt, u.role == Role.ADMIN || u.mayPull);
        }
    }

    public record NewUser(String username, String displayName, String password, String role) {
    }

    /** {@code mayPull}: whether the user may pull, import, tag and remove images (admins always may). */
    public record UserChange(String displayName, String role, Boolean disabled, Boolean mayPull) {
    }

    public record PasswordReset(String password) {
    }

    @Inject
    UserService users;

    @Inject
    SecurityIdentity identity;

    @GET
    public List<UserView> list() {
        return users.list().stream().map(UserView::of).toList();
    }

    @GET
    @Path("/{id}")
    public UserView get(@PathParam("id") long id) {
        return UserView.of(users.get(id));
    }

    @POST
    public Response create(NewUser body) {
        if (body == null) {
            throw ApiException.badRequest("username", "Send username, password and role.");
        }
        User created = users.create(body.username() == null ? null : body.username().strip(), body.displayName(),
                body.password(), role(body.role() == null ? "user" : body.role()), false);
        return Response.status(201).entity(UserView.of(created)).build();
    }

    @PATCH
    @Path("/{id}")
    public UserView update(@PathParam("id") long id, UserChange body) {
        if (body == null) {
            throw ApiException.badRequest("displayName", "Send displayName, role, disabled and/or mayPull.");
        }
        User updated = users.update(id, body.displayName(), body.role() == null ? null : role(body.role()),
                body.disabled(), identity.getPrincipal().getName());
        if (body.mayPull() != null) {
            updated = users.setMayPull(id, body.mayPull());
        }
        return UserView.of(updated);
    }

    @POST
    @Path("/{id}/password")
    public Response resetPassword(@PathParam("id") long id, PasswordReset body) {
        users.resetPassword(id, body == null ? null : body.password());
        return Response.noContent().build();
    }

    private static Role role(String value) {
        try {
            return Role.parse(value);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("role", e.getMessage() + ".");
        }
    }
}
