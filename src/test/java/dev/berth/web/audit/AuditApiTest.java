package dev.berth.web.audit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.berth.audit.AuditLog;
import dev.berth.engine.container.ImageStoreSource;
import dev.berth.engine.testing.TestRootfs;
import dev.berth.web.container.BusyboxImageArchive;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

/** The audit log over REST: an entry for each audited action, search and keyset paging, retention. */
@QuarkusTest
class AuditApiTest {
    static final String ADMIN_PASSWORD = "test-admin-password";
    static final String IMAGE = "berth-test/busybox:audit";

    @Inject
    AuditLog audit;
    @Inject
    DataSource dataSource;
    @Inject
    ImageStoreSource source;

    static RequestSpecification admin() {
        return given().auth().preemptive().basic("admin", ADMIN_PASSWORD);
    }

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Entries matching the query, newest first. */
    static List<Map<String, Object>> entries(String query) {
        RequestSpecification r = admin().queryParam("limit", 500);
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            r = r.queryParam(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return r.get("/api/audit").then().statusCode(200).extract().jsonPath().getList("entries");
    }

    static Map<String, Object> only(String query) {
        List<Map<String, Object>> found = entries(query);
        assertThat(found).as(query).hasSize(1);
        return found.get(0);
    }

    @BeforeEach
    void image() throws Exception {
        if (source.store().find(IMAGE).isEmpty()) {
            Path dir = Files.createTempDirectory("berth-audit-rootfs");
            Path rootfs = TestRootfs.busybox(dir.resolve("rootfs"));
            source.store().importArchive(new ByteArrayInputStream(BusyboxImageArchive.of(rootfs, IMAGE, List.of("/bin/sh"), List.of())));
            dev.berth.engine.container.Trees.deleteRecursively(dir);
        }
    }

    @Test
    void loginsFailuresThrottlingAndLogoutAreRecorded() {
        String name = unique("auditlogin");
        admin().contentType(ContentType.JSON).body(Map.of("username", name, "password", "password-of-" + name, "role", "user"))
                .post("/api/users").then().statusCode(201);
        given().contentType(ContentType.JSON).body(Map.of("username", name, "password", "wrong-password"))
                .post("/api/session").then().statusCode(401);
        var ok = given().contentType(ContentType.JSON).body(Map.of("username", name, "password", "password-of-" + name))
                .post("/api/session");
        ok.then().statusCode(200);
        given().cookie("berth_session", ok.cookie("berth_session")).header("X-CSRF-Token", ok.jsonPath().getString("csrfToken"))
                .delete("/api/session").then().statusCode(204);

        Map<String, Object> failed = only("actor=" + name + "&action=session.login-failed");
        assertThat(failed.get("detail")).isEqualTo("wrong password");
        assertThat(failed.get("address")).isEqualTo("127.0.0.1");
        assertThat(only("actor=" + name + "&action=session.login").get("target")).isEqualTo(name);
        assertThat(only("actor=" + name + "&action=session.logout").get("detail").toString()).startsWith("session ");
        // newest first: logout, login, login-failed (and the creation by admin has actor admin)
        List<Object> actions = entries("actor=" + name).stream().map(e -> e.get("action")).toList();
        assertThat(actions).containsExactly("session.logout", "session.login", "session.login-failed");
        assertThat(only("actor=admin&action=user.create&q=" + name).get("detail").toString())
                .contains("\"role\":\"user\"").contains("(hidden)").doesNotContain("password-of-");

        // a username that is being guessed: after the free attempts, refusals are recorded as throttled
        String guessed = unique("guessed");
        int status = 0;
        for (int i = 0; i < 8 && status != 429; i++) {
            status = given().contentType(ContentType.JSON).body(Map.of("username", guessed, "password", "guess-" + i))
                    .post("/api/session").then().extract().statusCode();
        }
        assertThat(status).isEqualTo(429);
        given().contentType(ContentType.JSON).body(Map.of("username", guessed, "password", "one-more"))
                .post("/api/session").then().statusCode(429);
        Map<String, Object> throttled = only("actor=" + guessed + "&action=session.login-throttled");
        assertThat(throttled.get("detail").toString()).contains("too many failed logins");
        assertThat(entries("actor=" + guessed + "&action=session.login-failed")).isNotEmpty()
                .allSatisfy(e -> assertThat(e.get("detail")).isEqualTo("no such account"));
    }

    @Test
    void userChangesAreRecordedWithoutPasswords() {
        String name = unique("audituser");
        long id = admin().contentType(ContentType.JSON)
                .body(Map.of("username", name, "password", "password-of-" + name, "role", "user"))
                .post("/api/users").then().statusCode(201).extract().jsonPath().getLong("id");
        admin().contentType(ContentType.JSON).body(Map.of("disabled", true)).patch("/api/users/" + id).then().statusCode(200);
        admin().contentType(ContentType.JSON).body(Map.of("password", "a-brand-new-password")).post("/api/users/" + id + "/password")
                .then().statusCode(204);
        assertThat(only("action=user.create&q=" + name).get("target")).isEqualTo(name);
        Map<String, Object> update = only("action=user.update&actor=admin&target=" + id);
        assertThat(update.get("target")).isEqualTo(String.valueOf(id));
        assertThat(update.get("detail").toString()).contains("\"disabled\":true");
        Map<String, Object> reset = only("action=user.password-reset&target=" + id);
        assertThat(reset.get("target")).isEqualTo(String.valueOf(id));
        assertThat(reset.get("detail").toString()).doesNotContain("a-brand-new-password");
    }

    @Test
    void imageActionsAreRecorded() throws Exception {
        Path dir = Files.createTempDirectory("berth-audit-import");
        try {
            String ref = "berth-test/audit-import:" + UUID.randomUUID().toString().substring(0, 6);
            byte[] archive = BusyboxImageArchive.of(TestRootfs.busybox(dir.resolve("rootfs")), ref, List.of("/bin/sh"), List.of());
            admin().contentType("application/x-tar").body(archive).post("/api/images/import").then().statusCode(200);
            String tagged = ref + "-tagged";
            admin().contentType(ContentType.JSON).body(Map.of("source", ref, "target", tagged)).post("/api/images/tag")
                    .then().statusCode(201);
            admin().delete("/api/images/" + tagged).then().statusCode(200);
            // a pull is recorded when it starts (this one targets a closed loopback port and fails afterwards)
            String pullRef = "127.0.0.1:9/audit/nothing:" + UUID.randomUUID().toString().substring(0, 6);
            admin().contentType(ContentType.JSON).body(Map.of("reference", pullRef)).post("/api/images/pull").then().extract();

            assertThat(only("action=image.import&q=" + ref.substring(ref.indexOf(':') + 1)).get("actor")).isEqualTo("admin");
            assertThat(only("action=image.tag&q=" + tagged).get("detail").toString()).contains("\"source\":\"" + ref + "\"");
            assertThat(only("action=image.remove&q=" + tagged).get("target")).isEqualTo(tagged);
            assertThat(only("action=image.pull&q=" + pullRef).get("target")).isEqualTo(pullRef);
        } finally {
            dev.berth.engine.container.Trees.deleteRecursively(dir);
        }
    }

    @Test
    void everyContainerActionIsRecordedAndRefusalsToo() {
        String name = unique("auditc");
        String id = admin().contentType(ContentType.JSON)
                .body(Map.of("image", IMAGE, "name", name, "cmd", List.of("sleep", "1000"), "env", List.of("SECRET=s3cr3t")))
                .post("/api/containers").then().statusCode(201).extract().path("Id");
        try {
            admin().post("/api/containers/" + id + "/start").then().statusCode(204);
            admin().post("/api/containers/" + id + "/pause").then().statusCode(204);
            admin().post("/api/containers/" + id + "/unpause").then().statusCode(204);
            admin().post("/api/containers/" + id + "/restart?t=0").then().statusCode(204);
            String terminal = admin().contentType(ContentType.JSON).body(Map.of("cmd", List.of("sh")))
                    .post("/api/containers/" + id + "/exec").then().statusCode(201).extract().path("terminalId");
            String renamed = unique("auditr");
            admin().post("/api/containers/" + id + "/rename?name=" + renamed).then().statusCode(204);
            admin().post("/api/containers/" + id + "/kill").then().statusCode(204);
            admin().post("/api/containers/" + id + "/start").then().statusCode(204);
            admin().post("/api/containers/" + id + "/stop?t=0").then().statusCode(204);
            admin().delete("/api/containers/" + id).then().statusCode(204);
            admin().post("/api/containers/" + id + "/start").then().statusCode(404);

            List<Map<String, Object>> all = entries("action=container.&q=" + id);
            List<Object> actions = new ArrayList<>(all.stream().map(e -> e.get("action")).toList());
            java.util.Collections.reverse(actions);
            assertThat(actions).containsExactly("container.create", "container.start", "container.pause",
                    "container.unpause", "container.restart", "container.exec", "container.rename", "container.kill",
                    "container.start", "container.stop", "container.remove", "container.start");
            assertThat(all).allSatisfy(e -> assertThat(e.get("actor")).isEqualTo("admin"));
            Map<String, Object> create = all.get(all.size() - 1);
            assertThat(create.get("target")).isEqualTo(id);
            assertThat(create.get("detail").toString()).contains("\"image\":\"" + IMAGE + "\"").contains("\"name\":\"" + name + "\"")
                    .doesNotContain("s3cr3t");
            assertThat(all.get(0).get("detail").toString()).startsWith("failed: 404");
            Map<String, Object> exec = all.stream().filter(e -> e.get("action").equals("container.exec")).findFirst().orElseThrow();
            assertThat(exec.get("detail").toString()).contains("terminal " + terminal).contains("\"cmd\":[\"sh\"]");
            assertThat(all.stream().filter(e -> e.get("action").equals("container.rename")).findFirst().orElseThrow()
                    .get("detail").toString()).contains("name=" + renamed);
        } finally {
            admin().delete("/api/containers/" + id + "?force=true");
        }
    }

    @Test
    void searchFiltersAndKeysetPaging() {
        String actor = unique("pager");
        for (int i = 0; i < 7; i++) {
            audit.record(actor, i % 2 == 0 ? "test.even" : "test.odd", "thing-" + i, "number " + i + " 100%_done", "10.0.0." + i);
        }
        List<String> targets = new ArrayList<>();
        Long before = null;
        int pages = 0;
        do {
            RequestSpecification r = admin().queryParam("actor", actor).queryParam("limit", 3);
            if (before != null) {
                r = r.queryParam("before", before);
            }
            JsonPath page = r.get("/api/audit")
                    .then().statusCode(200).extract().jsonPath();
            targets.addAll(page.getList("entries.target"));
            before = page.get("next") == null ? null : page.getLong("next");
            pages++;
        } while (before != null && pages < 10);
        assertThat(pages).isEqualTo(3);
        assertThat(targets).containsExactly("thing-6", "thing-5", "thing-4", "thing-3", "thing-2", "thing-1", "thing-0");

        assertThat(entries("actor=" + actor + "&action=test.odd")).extracting(e -> e.get("target"))
                .containsExactly("thing-5", "thing-3", "thing-1");
        assertThat(entries("actor=" + actor + "&action=test.*")).hasSize(7);
        assertThat(entries("actor=" + actor + "&q=NUMBER 4")).extracting(e -> e.get("target")).containsExactly("thing-4");
        assertThat(entries("actor=" + actor + "&q=10.0.0.2")).extracting(e -> e.get("target")).containsExactly("thing-2");
        // LIKE wildcards in the text are literal
        assertThat(entries("actor=" + actor + "&q=%")).hasSize(7);
        assertThat(entries("q=" + actor.substring(0, 6) + "_" + actor.substring(7))).isEmpty();
        assertThat(entries("actor=" + actor + "&until=" + Instant.now().minusSeconds(3600))).isEmpty();
        assertThat(entries("actor=" + actor + "&since=" + Instant.now().minusSeconds(3600))).hasSize(7);

        admin().queryParam("since", "yesterday").get("/api/audit").then().statusCode(400).body("field", equalTo("since"));
        admin().get("/api/audit?limit=0").then().statusCode(400).body("field", equalTo("limit"));
    }

    @Test
    void onlyAdminsReadTheLog() {
        String name = unique("nosy");
        admin().contentType(ContentType.JSON).body(Map.of("username", name, "password", "password-of-" + name, "role", "user"))
                .post("/api/users").then().statusCode(201);
        given().auth().preemptive().basic(name, "password-of-" + name).get("/api/audit").then().statusCode(403);
        given().get("/api/audit").then().statusCode(401);
    }

    @Test
    void retentionDropsOldEntriesAndKeepsTheNewestWithinTheCount() throws Exception {
        String actor = unique("retention");
        try (Connection c = dataSource.getConnection();
                PreparedStatement st = c.prepareStatement("INSERT INTO audit_log(at, actor, action) VALUES (?, ?, 'test.old')")) {
            for (int days : new int[] { 400, 100, 91 }) {
                st.setTimestamp(1, Timestamp.from(Instant.now().minus(Duration.ofDays(days))));
                st.setString(2, actor);
                st.executeUpdate();
            }
        }
        for (int i = 0; i < 5; i++) {
            audit.record(actor, "test.new", "n" + i, null);
        }
        assertThat(audit.prune(1_000_000, Duration.ofDays(90))).isGreaterThanOrEqualTo(3);
        assertThat(entries("actor=" + actor)).extracting(e -> e.get("action")).containsOnly("test.new").hasSize(5);

        audit.prune(3, Duration.ofDays(90));
        assertThat(count()).isEqualTo(3);
        assertThat(entries("actor=" + actor)).extracting(e -> e.get("target")).containsExactly("n4", "n3", "n2");
    }

    private long count() throws Exception {
        try (Connection c = dataSource.getConnection(); ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM audit_log")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
