package dev.berth.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.arc.Arc;
import io.quarkus.arc.InstanceHandle;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * The audit log: who did what, to what, from where, kept in PostgreSQL ({@code audit_log}).
 *
 * <p>{@link #record} never blocks and never fails the caller: entries go to a bounded queue that one writer
 * thread stores in batches, outside the caller's transaction (a refused or failed action is recorded even when
 * its transaction rolls back). It may be called from any thread, the Vert.x event loop included. When the
 * queue is full (the database is down or far behind), entries are dropped and counted in the log.
 *
 * <p>Retention: entries older than {@code berth.audit.max-age} (default P90D) and all but the newest
 * {@code berth.audit.max-entries} (default 100000) are deleted every {@code berth.audit.prune-interval}
 * (default 1h).
 */
@ApplicationScoped
public class AuditLog {
    private static final Logger LOG = Logger.getLogger(AuditLog.class);
    static final int QUEUE_CAPACITY = 20_000;
    static final int BATCH = 500;

    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>(QUEUE_CAPACITY);
    private final AtomicLong dropped = new AtomicLong();
    private volatile Thread writer;
    private volatile boolean stopping;

    @Inject
    DataSource dataSource;

    @ConfigProperty(name = "berth.audit.max-entries", defaultValue = "100000")
    long maxEntries;

    @ConfigProperty(name = "berth.audit.max-age", defaultValue = "P90D")
    Duration maxAge;

    private record Pending(Instant at, String actor, String action, String target, String detail, String address) {
    }

    private record FlushMarker(CompletableFuture<Void> done) {
    }

    /**
     * Records an action. {@code actor} is the principal name ({@code null} becomes {@code anonymous}); the
     * client's address is taken from the current HTTP request when there is one.
     */
    public void record(String actor, String action, String target, String detail) {
        record(actor, action, target, detail, currentAddress());
    }

    /** Records an action with an explicit client address (WebSocket handlers, background work: may be null). */
    public void record(String actor, String action, String target, String detail, String address) {
        if (action == null || action.isBlank()) {
            throw new IllegalArgumentException("an audit entry needs an action name such as 'container.start'");
        }
        Pending p = new Pending(Instant.now(), clip(actor == null || actor.isBlank() ? "anonymous" : actor, 160),
                clip(action, 64), clip(target, 512), clip(detail, 4096), clip(address, 64));
        ensureWriter();
        if (!queue.offer(p)) {
            long n = dropped.incrementAndGet();
            if (n == 1 || n % 1000 == 0) {
                LOG.warnf("Audit queue full (%d entries waiting for the database): %d audit entries dropped so far",
                        QUEUE_CAPACITY, n);
            }
        }
    }

    /** Waits until every entry recorded before this call is stored (searches call it to read their own writes). */
    public void flush() {
        if (writer == null) {
            return;
        }
        FlushMarker m = new FlushMarker(new CompletableFuture<>());
        try {
            if (!queue.offer(m, 5, TimeUnit.SECONDS)) {
                return;
            }
            m.done().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
            LOG.warnf("Audit entries are not yet stored after 10 s: %s", e);
        }
    }

    /** Searches the log, newest first. */
    public AuditPage search(AuditQuery q) {
        flush();
        StringBuilder sql = new StringBuilder("SELECT id, at, actor, action, target, detail, address FROM audit_log WHERE TRUE");
        List<Object> args = new ArrayList<>();
        if (q.text() != null && !q.text().isBlank()) {
            sql.append(" AND (actor ILIKE ? ESCAPE '\\' OR action ILIKE ? ESCAPE '\\' OR target ILIKE ? ESCAPE '\\'"
                    + " OR detail ILIKE ? ESCAPE '\\' OR address ILIKE ? ESCAPE '\\')");
            String like = "%" + likeEscape(q.text().strip()) + "%";
            for (int i = 0; i < 5; i++) {
                args.add(like);
            }
        }
        if (q.actor() != null && !q.actor().isBlank()) {
            sql.append(" AND actor = ?");
            args.add(q.actor().strip());
        }
        if (q.target() != null && !q.target().isBlank()) {
            sql.append(" AND target = ?");
            args.add(q.target().strip());
        }
        if (q.action() != null && !q.action().isBlank()) {
            String a = q.action().strip().toLowerCase(Locale.ROOT);
            if (a.endsWith("*") || a.endsWith(".")) {
                sql.append(" AND action LIKE ? ESCAPE '\\'");
                args.add(likeEscape(a.endsWith("*") ? a.substring(0, a.length() - 1) : a) + "%");
            } else {
                sql.append(" AND action = ?");
                args.add(a);
            }
        }
        if (q.since() != null) {
            sql.append(" AND at >= ?");
            args.add(Timestamp.from(q.since()));
        }
        if (q.until() != null) {
            sql.append(" AND at < ?");
            args.add(Timestamp.from(q.until()));
        }
        if (q.before() != null) {
            sql.append(" AND id < ?");
            args.add(q.before());
        }
        sql.append(" ORDER BY id DESC LIMIT ?");
        args.add(q.limit() + 1);
        List<AuditEntry> entries = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
                st.setObject(i + 1, args.get(i));
            }
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    entries.add(new AuditEntry(rs.getLong(1), rs.getTimestamp(2).toInstant(), rs.getString(3),
                            rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Reading the audit log failed: " + e.getMessage(), e);
        }
        Long next = null;
        if (entries.size() > q.limit()) {
            entries = entries.subList(0, q.limit());
            next = entries.get(entries.size() - 1).id();
        }
        return new AuditPage(List.copyOf(entries), next);
    }

    @Scheduled(every = "${berth.audit.prune-interval:1h}", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void pruneOnSchedule() {
        int n = prune(maxEntries, maxAge);
        if (n > 0) {
            LOG.infof("Audit log: pruned %d entries (retention: %d entries, %s)", n, maxEntries, maxAge);
        }
    }

    /** Deletes entries older than {@code maxAge} and all but the newest {@code maxEntries}; returns how many. */
    public int prune(long maxEntries, Duration maxAge) {
        flush();
        try (Connection c = dataSource.getConnection()) {
            int n;
            try (PreparedStatement st = c.prepareStatement("DELETE FROM audit_log WHERE at < ?")) {
                st.setTimestamp(1, Timestamp.from(Instant.now().minus(maxAge)));
                n = st.executeUpdate();
            }
            try (PreparedStatement st = c.prepareStatement(
                    "DELETE FROM audit_log WHERE id <= (SELECT id FROM audit_log ORDER BY id DESC OFFSET ? LIMIT 1)")) {
                st.setLong(1, Math.max(0, maxEntries));
                n += st.executeUpdate();
            }
            return n;
        } catch (SQLException e) {
            LOG.warnf("Pruning the audit log failed: %s", e.getMessage());
            return 0;
        }
    }

    private synchronized void ensureWriter() {
        if (writer != null || stopping) {
            return;
        }
        Thread t = new Thread(this::writeLoop, "berth-audit-writer");
        t.setDaemon(true);
        t.start();
        writer = t;
    }

    private void writeLoop() {
        List<Object> batch = new ArrayList<>(BATCH);
        while (!stopping || !queue.isEmpty()) {
            try {
                Object first = queue.poll(1, TimeUnit.SECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, BATCH - 1);
                store(batch);
            } catch (InterruptedException e) {
                if (stopping) {
                    queue.drainTo(batch);
                    store(batch);
                    return;
                }
            } catch (RuntimeException e) {
                LOG.warnf(e, "Audit writer: %s", e.getMessage());
            } finally {
                batch.clear();
            }
        }
    }

    private void store(List<Object> batch) {
        List<Pending> entries = new ArrayList<>(batch.size());
        List<FlushMarker> markers = new ArrayList<>();
        for (Object o : batch) {
            if (o instanceof Pending p) {
                entries.add(p);
            } else if (o instanceof FlushMarker m) {
                markers.add(m);
            }
        }
        if (!entries.isEmpty()) {
            insert(entries);
        }
        markers.forEach(m -> m.done().complete(null));
    }

    private void insert(List<Pending> entries) {
        for (int attempt = 1; ; attempt++) {
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(false);
                try (PreparedStatement st = c.prepareStatement(
                        "INSERT INTO audit_log(at, actor, action, target, detail, address) VALUES (?, ?, ?, ?, ?, ?)")) {
                    for (Pending p : entries) {
                        st.setTimestamp(1, Timestamp.from(p.at()));
                        st.setString(2, p.actor());
                        st.setString(3, p.action());
                        st.setString(4, p.target());
                        st.setString(5, p.detail());
                        st.setString(6, p.address());
                        st.addBatch();
                    }
                    st.executeBatch();
                    c.commit();
                    return;
                } catch (SQLException e) {
                    c.rollback();
                    throw e;
                }
            } catch (SQLException e) {
                if (attempt >= 3 || stopping) {
                    LOG.warnf("Storing %d audit entries failed, dropped: %s", entries.size(), e.getMessage());
                    return;
                }
                try {
                    Thread.sleep(500L * attempt);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    @PreDestroy
    void stop() {
        Thread t;
        synchronized (this) {
            stopping = true;
            t = writer;
        }
        if (t != null) {
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The client address of the HTTP request being served on this thread, if any (honours forwarding when enabled). */
    static String currentAddress() {
        try {
            if (Arc.container() == null || !Arc.container().requestContext().isActive()) {
                return null;
            }
            InstanceHandle<CurrentVertxRequest> h = Arc.container().instance(CurrentVertxRequest.class);
            if (!h.isAvailable()) {
                return null;
            }
            RoutingContext rc = h.get().getCurrent();
            if (rc == null || rc.request().remoteAddress() == null) {
                return null;
            }
            return rc.request().remoteAddress().hostAddress();
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Bounds a value and makes it safe to store and show: control characters become visible escapes. */
    static String clip(String s, int max) {
        if (s == null) {
            return null;
        }
        StringBuilder b = new StringBuilder(Math.min(s.length(), max) + 8);
        int i = 0;
        for (; i < s.length() && b.length() < max; i++) {
            char ch = s.charAt(i);
            if (ch < 0x20 || ch == 0x7f) {
                b.append(switch (ch) {
                    case '\n' -> "\\n";
                    case '\r' -> "\\r";
                    case '\t' -> "\\t";
                    default -> String.format("\\x%02x", (int) ch);
                });
            } else {
                b.append(ch);
            }
        }
        if (i < s.length() || b.length() > max) {
            b.setLength(max - 1);
            b.append('\u2026');
        }
        return b.toString();
    }

    private static String likeEscape(String s) {
        return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
