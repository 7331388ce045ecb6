#include "check.h"
#include "spec.h"
#include "util.h"
#include <stdlib.h>
#include <sys/resource.h>

static int parse(struct spec *s, const char *const *kv) {
    size_t len = 0;
    for (size_t i = 0; kv[i]; i++) len += strlen(kv[i]) + 1;
    char *buf = malloc(len + 1), *p = buf;
    for (size_t i = 0; kv[i]; i++) { strcpy(p, kv[i]); p += strlen(kv[i]) + 1; }
    buf[len] = 0;
    return spec_parse(s, buf, len);
}

static void test_full_spec(void) {
    const char *kv[] = {"version", "1", "id", "abc123", "lower", "/l/top", "lower", "/l/bottom", "upper", "/u", "work", "/w",
                        "arg", "sh", "arg", "-c", "arg", "echo a:b", "env", "A=1", "cwd", "/srv", "user", "app:staff",
                        "tty", "1", "stdin", "1", "memory", "67108864", "pids", "64", "nanocpus", "500000000",
                        "mount", "ro:/data:/host/x:y", "net", "join:/proc/1/ns/net", "log", "/s/output.log",
                        "log.max", "8192", "log.files", "3", "rlimit", "nofile:100:200", "cols", "120", "rows", "40", NULL};
    struct spec s;
    CHECK(parse(&s, kv) == 0);
    CHECK_STR(s.id, "abc123");
    CHECK(s.nlower == 2 && !strcmp(s.lower[0], "/l/top") && !strcmp(s.lower[1], "/l/bottom"));
    CHECK(s.nargs == 3 && !strcmp(s.args[2], "echo a:b") && s.args[3] == NULL);
    CHECK(s.tty && s.open_stdin && s.memory == 67108864 && s.pids == 64 && s.nano_cpus == 500000000);
    CHECK(s.nmounts == 1 && s.mounts[0].ro && !strcmp(s.mounts[0].dst, "/data") && !strcmp(s.mounts[0].src, "/host/x:y"));
    CHECK(s.net == NET_JOIN && !strcmp(s.netns, "/proc/1/ns/net"));
    CHECK(s.log_max == 8192 && s.log_files == 3);
    CHECK(s.nrlimits == 1 && s.rlimits[0].resource == RLIMIT_NOFILE && s.rlimits[0].soft == 100 && s.rlimits[0].hard == 200);
    CHECK(s.cols == 120 && s.rows == 40);
}

static void expect_error(const char *const *kv, const char *code, const char *fragment) {
    struct spec s;
    g_err.msg[0] = 0;
    CHECK(parse(&s, kv) == -1);
    CHECK_STR(g_err.code, code);
    if (!strstr(g_err.msg, fragment)) {
        g_failures++;
        fprintf(stderr, "message '%s' lacks '%s'\n", g_err.msg, fragment);
    }
}

static void test_errors(void) {
    const char *no_cmd[] = {"id", "x", "lower", "/l", "upper", "/u", "work", "/w", NULL};
    expect_error(no_cmd, "spec_invalid", "missing command");
    const char *bad_id[] = {"id", "../evil", "arg", "true", "lower", "/l", "upper", "/u", "work", "/w", NULL};
    expect_error(bad_id, "spec_invalid", "may only contain");
    const char *bad_mem[] = {"id", "x", "memory", "-5", NULL};
    expect_error(bad_mem, "spec_invalid", "memory must be a non-negative integer");
    const char *bad_key[] = {"id", "x", "colour", "blue", NULL};
    expect_error(bad_key, "spec_invalid", "unknown key 'colour'");
    const char *rel_cwd[] = {"id", "x", "arg", "true", "cwd", "srv", "lower", "/l", "upper", "/u", "work", "/w", NULL};
    expect_error(rel_cwd, "bad_workdir", "must be an absolute path");
    const char *bad_net[] = {"id", "x", "net", "bridge", NULL};
    expect_error(bad_net, "spec_invalid", "net must be");
    const char *bad_version[] = {"version", "2", NULL};
    expect_error(bad_version, "spec_invalid", "unsupported version 2");
    const char *bad_rlimit[] = {"id", "x", "rlimit", "files:1:2", NULL};
    expect_error(bad_rlimit, "spec_invalid", "unknown rlimit 'files'");
    const char *no_rootfs[] = {"id", "x", "arg", "true", NULL};
    expect_error(no_rootfs, "spec_invalid", "needs 'lower'");
}

static void test_exec_spec(void) {
    const char *kv[] = {"id", "c1", "arg", "ps", "target.pid", "4242", "target.cgroup", "/sys/fs/cgroup/pids/berth/c1", NULL};
    struct spec s;
    CHECK(parse(&s, kv) == 0);
    CHECK(s.target_pid == 4242 && s.ntarget_cgroups == 1);
}

static void test_veth(void) {
    const char *kv[] = {"id", "c1", "lower", "/l", "upper", "/u", "work", "/w", "arg", "sh", "net", "new",
                        "veth", "host=berthv01 bridge=berth0 name=eth0 addr=10.232.0.2/16 gw=10.232.0.1", NULL};
    struct spec s;
    CHECK(parse(&s, kv) == 0);
    CHECK(s.nveths == 1 && !strcmp(s.veths[0].host, "berthv01") && s.veths[0].prefix == 16);
    const char *host[] = {"id", "c1", "lower", "/l", "upper", "/u", "work", "/w", "arg", "sh", "net", "host",
                          "veth", "host=berthv01 bridge=berth0 name=eth0 addr=10.232.0.2/16", NULL};
    expect_error(host, "spec_invalid", "net new");
    const char *bad[] = {"id", "c1", "lower", "/l", "upper", "/u", "work", "/w", "arg", "sh", "net", "new",
                         "veth", "host=berthv01 name=eth0 addr=10.232.0.2/16", NULL};
    expect_error(bad, "spec_invalid", "bridge=");
}

int main(void) {
    test_full_spec();
    test_veth();
    test_errors();
    test_exec_spec();
    DONE("test-spec");
}
