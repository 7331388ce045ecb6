package dev.berth.classroom;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.berth.engine.container.ImageStoreSource;
import dev.berth.terminal.ClientSink;
import dev.berth.terminal.TerminalClient;
import dev.berth.terminal.TerminalHub;
import dev.berth.terminal.TerminalRole;
import dev.berth.workspace.LiveWorkspace;
import dev.berth.workspace.WorkspaceService;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Classes: a trainer's template and one join link. Each attendee who opens the link gets their own workspace with
 * a container from the template (opening it again brings them back to it); the trainer watches, takes over and
 * pushes commands into the attendees' terminals.
 */
public final class ClassService {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
    };

    private final WorkspaceService workspaces;
    private final ImageStoreSource images;
    private final Clock clock;
    private final ConcurrentMap<Long, String> trainers = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Object> joinLocks = new ConcurrentHashMap<>();

    public ClassService(WorkspaceService workspaces, ImageStoreSource images, Clock clock) {
        this.workspaces = workspaces;
        this.images = images;
        this.clock = clock;
    }

    /** A new class and its join token (shown once; only its hash is stored). */
    public record Created(Classroom classroom, String token) {
    }

    /** An attendee in their workspace, on its terminal. */
    public record Joined(Classroom classroom, LiveWorkspace workspace, TerminalHub terminal, boolean created) {
    }

    /** What a pushed command did on one attendee terminal. */
    public record PushResult(String workspaceId, String attendee, String terminalId, String result) {
    }

    /** Loads the trainers of existing classes (for the terminal access rule, which must not touch the database). */
    public void load() {
        for (Classroom c : QuarkusTransaction.requiringNew().call(() -> Classroom.<Classroom>listAll())) {
            trainers.put(c.id, c.trainer);
        }
    }

    public Created create(String trainer, ClassTemplate t) {
        if (t.name() == null || t.name().isBlank() || t.name().length() > 128) {
            throw new InvalidClass("name", "Give the class a name of 1-128 characters, e.g. \"Docker basics, Monday\".");
        }
        if (t.image() == null || t.image().isBlank()) {
            throw new InvalidClass("image", "Give the image every attendee's container runs, e.g. \"busybox\".");
        }
        if (images.store().find(t.image().strip()).isEmpty()) {
            throw new InvalidClass("image", "The image '" + t.image().strip() + "' is not on this host: pull or import it "
                    + "first (Images screen or POST /api/images/pull), then create the class.");
        }
        if (t.memoryBytes() < 0 || t.nanoCpus() < 0 || t.pidsLimit() < 0) {
            throw new InvalidClass("memoryBytes", "Limits are 0 (none) or positive.");
        }
        try {
            workspaces.checkTtl(Duration.ofSeconds(t.ttlSeconds()));
        } catch (IllegalArgumentException e) {
            throw new InvalidClass("ttlSeconds", e.getMessage());
        }
        String token = Tokens.random("c_");
        Classroom c = new Classroom();
        c.name = t.name().strip();
        c.trainer = trainer;
        c.tokenHash = Tokens.hash(token);
        c.image = t.image().strip();
        c.cmd = json(t.cmd());
        c.ports = json(t.ports());
        c.memoryBytes = t.memoryBytes();
        c.nanoCpus = t.nanoCpus();
        c.pidsLimit = t.pidsLimit();
        c.ttlSeconds = t.ttlSeconds();
        c.createdAt = clock.instant();
        QuarkusTransaction.requiringNew().run(c::persist);
        trainers.put(c.id, trainer);
        return new Created(c, token);
    }

    /** A fresh join link; the previous one stops working. */
    public String rotateLink(long classId) {
        String token = Tokens.random("c_");
        QuarkusTransaction.requiringNew().run(() -> Classroom.update("tokenHash = ?1 where id = ?2", Tokens.hash(token), classId));
        return token;
    }

    public Optional<Classroom> find(long id) {
        return QuarkusTransaction.requiringNew().call(() -> Classroom.<Classroom>findByIdOptional(id));
    }

    public Optional<Classroom> byToken(String token) {
        if (token == null || token.length() < 10 || token.length() > 100) return Optional.empty();
        return QuarkusTransaction.requiringNew().call(() -> Classroom.<Classroom>find("tokenHash", Tokens.hash(token)).firstResultOptional());
    }

    /** Classes of a trainer, or all ({@code trainer == null}), newest first. */
    public List<Classroom> list(String trainer) {
        return QuarkusTransaction.requiringNew().call(() -> trainer == null
                ? Classroom.<Classroom>list("order by createdAt desc")
                : Classroom.<Classroom>list("trainer = ?1 order by createdAt desc", trainer));
    }

    /** The trainer of a class, from memory. */
    public Optional<String> trainerOf(long classId) {
        return Optional.ofNullable(trainers.get(classId));
    }

    public List<LiveWorkspace> attendees(long classId) {
        return workspaces.ofClass(classId).stream()
                .sorted(java.util.Comparator.comparing(LiveWorkspace::createdAt)).toList();
    }

    /**
     * Gives {@code principal} their workspace in the class: the one they already have, or a new one (capacity
     * guard first) with a container from the template, its terminal open and owned by them.
     */
    public Joined join(Classroom c, String principal, String displayName) {
        Object lock = joinLocks.computeIfAbsent(c.id + "/" + principal, k -> new Object());
        synchronized (lock) {
            try {
                for (LiveWorkspace w : workspaces.ofClass(c.id)) {
                    if (!w.owner().equals(principal)) continue;
                    for (String container : w.containers()) {
                        Optional<TerminalHub> hub = workspaces.terminalOf(container, principal);
                        if (hub.isPresent()) {
                            workspaces.touch(w.id());
                            return new Joined(c, w, hub.get(), false);
                        }
                    }
                    // its container is gone: start over
                    workspaces.remove(w.id(), "replaced (its container had stopped)");
                }
                ClassTemplate t = template(c);
                LiveWorkspace w = workspaces.create(principal, displayName, c.id, Duration.ofSeconds(c.ttlSeconds), c.memoryBytes);
                try {
                    TerminalHub hub = workspaces.run(w, t.workspace());
                    return new Joined(c, w, hub, true);
                } catch (RuntimeException e) {
                    workspaces.remove(w.id(), "failed to start");
                    throw e;
                }
            } finally {
                joinLocks.remove(c.id + "/" + principal, lock);
            }
        }
    }

    /** Ends a class: removes every attendee workspace (and its containers), its guests and the class itself. */
    public void end(long classId) {
        for (LiveWorkspace w : workspaces.ofClass(classId)) workspaces.remove(w.id(), "ended with its class");
        QuarkusTransaction.requiringNew().run(() -> {
            ClassGuest.delete("classId", classId);
            Classroom.deleteById(classId);
        });
        trainers.remove(classId);
    }

    /**
     * Types {@code text} into the terminals of the given workspaces of a class ({@code workspaceIds == null}: all),
     * as {@code trainer}: for each terminal the trainer joins for a moment as owner, types and leaves, so the
     * attendees see who typed. In single-driver mode a terminal whose control is held by someone else refuses.
     */
    public List<PushResult> push(long classId, Collection<String> workspaceIds, String trainer, String text) {
        byte[] data = text.getBytes(StandardCharsets.UTF_8);
        List<PushResult> results = new ArrayList<>();
        for (LiveWorkspace w : attendees(classId)) {
            if (workspaceIds != null && !workspaceIds.contains(w.id())) continue;
            boolean any = false;
            for (String container : w.containers()) {
                Optional<TerminalHub> hub = workspaces.terminalOf(container, w.owner());
                if (hub.isEmpty()) continue;
                any = true;
                TerminalHub h = hub.get();
                TerminalClient client = h.join(trainer, null, TerminalRole.OWNER, h.cols(), h.rows(), -1, NO_SINK);
                TerminalHub.InputResult result;
                try {
                    result = h.input(client, data, false);
                } finally {
                    h.leave(client);
                }
                results.add(new PushResult(w.id(), w.displayName(), h.id(), result.name().toLowerCase().replace('_', '-')));
            }
            if (!any) results.add(new PushResult(w.id(), w.displayName(), null, "no-terminal"));
        }
        return results;
    }

    ClassTemplate template(Classroom c) {
        return new ClassTemplate(c.name, c.image, strings(c.cmd), strings(c.ports), c.memoryBytes, c.nanoCpus, c.pidsLimit, c.ttlSeconds);
    }

    public static List<String> strings(String json) {
        if (json == null || json.isBlank()) return List.of();
        try {
            return JSON.readValue(json, STRINGS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored list is not JSON: " + json, e);
        }
    }

    private static String json(List<String> list) {
        if (list == null || list.isEmpty()) return null;
        try {
            return JSON.writeValueAsString(list);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A class request with a bad field. */
    public static final class InvalidClass extends RuntimeException {
        private final String field;

        public InvalidClass(String field, String message) {
            super(message);
            this.field = field;
        }

        public String field() {
            return field;
        }
    }

    /** The trainer's momentary connection when pushing a command: nothing is sent anywhere. */
    private static final ClientSink NO_SINK = new ClientSink() {
        @Override
        public void sendOutput(long seq, byte[] bytes, int offset, int length, Runnable done) {
            done.run();
        }

        @Override
        public void sendSnapshot(long seq, int cols, int rows, byte[] repaint, Runnable done) {
            done.run();
        }

        @Override
        public void sendControl(Map<String, Object> message, Runnable done) {
            done.run();
        }

        @Override
        public void close(int code, String reason) {
        }
    };

    Instant now() {
        return clock.instant();
    }
}
