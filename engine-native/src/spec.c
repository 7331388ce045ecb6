#include "spec.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

static const struct { const char *name; int res; } RLIMITS[] = {
    {"nofile", RLIMIT_NOFILE}, {"nproc", RLIMIT_NPROC}, {"core", RLIMIT_CORE}, {"memlock", RLIMIT_MEMLOCK},
    {"stack", RLIMIT_STACK}, {"cpu", RLIMIT_CPU}, {"fsize", RLIMIT_FSIZE}, {"as", RLIMIT_AS},
    {"locks", RLIMIT_LOCKS}, {"sigpending", RLIMIT_SIGPENDING}, {"msgqueue", RLIMIT_MSGQUEUE},
    {"nice", RLIMIT_NICE}, {"rtprio", RLIMIT_RTPRIO}, {"data", RLIMIT_DATA}, {"rss", RLIMIT_RSS},
};

int rlimit_by_name(const char *name) {
    for (size_t i = 0; i < sizeof RLIMITS / sizeof RLIMITS[0]; i++)
        if (strcmp(RLIMITS[i].name, name) == 0) return RLIMITS[i].res;
    return -1;
}

static int parse_u64(const char *key, const char *v, uint64_t *out) {
    char *end;
    errno = 0;
    unsigned long long x = strtoull(v, &end, 10);
    if (errno || end == v || *end || v[0] == '-')
        return err_msg("spec_invalid", "spec: %s must be a non-negative integer, got '%s'", key, v);
    *out = x;
    return 0;
}

static int push(const char ***arr, size_t *n, const char *v) {
    if (*n >= SPEC_MAX_LIST) return err_msg("spec_invalid", "spec: too many list entries (max %d)", SPEC_MAX_LIST);
    const char **a = realloc(*arr, (*n + 2) * sizeof **arr);
    if (!a) return err_sys("nomem", "spec: out of memory");
    a[(*n)++] = v;
    a[*n] = NULL;
    *arr = a;
    return 0;
}

static int parse_mount(struct spec *s, const char *v) {
    /* "ro|rw:<target>:<source>" - the source may contain ':' since it comes last */
    const char *t = strchr(v, ':');
    const char *src = t ? strchr(t + 1, ':') : NULL;
    if (!t || !src || (strncmp(v, "ro:", 3) && strncmp(v, "rw:", 3)))
        return err_msg("spec_invalid", "spec: mount must be 'ro|rw:<target>:<source>', got '%s'", v);
    struct mountspec *m = realloc(s->mounts, (s->nmounts + 1) * sizeof *m);
    if (!m) return err_sys("nomem", "spec: out of memory");
    s->mounts = m;
    char *target = strndup(t + 1, (size_t)(src - t - 1));
    if (!target) return err_sys("nomem", "spec: out of memory");
    m[s->nmounts].ro = v[1] == 'o';
    m[s->nmounts].dst = target;
    m[s->nmounts].src = src + 1;
    if (target[0] != '/') return err_msg("spec_invalid", "spec: mount target '%s' is not absolute", target);
    s->nmounts++;
    return 0;
}

static int parse_rlimit(struct spec *s, const char *v) {
    /* "<name>:<soft>:<hard>" */
    char name[32];
    const char *c1 = strchr(v, ':');
    const char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
    if (!c1 || !c2 || (size_t)(c1 - v) >= sizeof name)
        return err_msg("spec_invalid", "spec: rlimit must be '<name>:<soft>:<hard>', got '%s'", v);
    memcpy(name, v, (size_t)(c1 - v));
    name[c1 - v] = 0;
    int res = rlimit_by_name(name);
    if (res < 0) return err_msg("spec_invalid", "spec: unknown rlimit '%s'", name);
    char soft[32];
    size_t sl = (size_t)(c2 - c1 - 1);
    if (sl >= sizeof soft) return err_msg("spec_invalid", "spec: bad rlimit '%s'", v);
    memcpy(soft, c1 + 1, sl);
    soft[sl] = 0;
    struct rlim r = {.resource = res};
    if (parse_u64("rlimit soft", soft, &r.soft) || parse_u64("rlimit hard", c2 + 1, &r.hard)) return -1;
    struct rlim *a = realloc(s->rlimits, (s->nrlimits + 1) * sizeof *a);
    if (!a) return err_sys("nomem", "spec: out of memory");
    a[s->nrlimits++] = r;
    s->rlimits = a;
    return 0;
}

static int set_net(struct spec *s, const char *v) {
    if (!strcmp(v, "none")) s->net = NET_NONE;
    else if (!strcmp(v, "new")) s->net = NET_NEW;
    else if (!strcmp(v, "host")) s->net = NET_HOST;
    else if (!strncmp(v, "join:", 5) && v[5] == '/') { s->net = NET_JOIN; s->netns = v + 5; }
    else return err_msg("spec_invalid", "spec: net must be none|new|host|join:/path, got '%s'", v);
    return 0;
}

static int parse_veth(struct spec *s, const char *v) {
    if (s->nveths >= 16) return err_msg("spec_invalid", "spec: at most 16 veth entries");
    struct veth_spec *a = realloc(s->veths, (s->nveths + 1) * sizeof *a);
    if (!a) return err_sys("nomem", "spec: out of memory");
    s->veths = a;
    if (veth_parse(v, &a[s->nveths])) return -1;
    s->nveths++;
    return 0;
}

static int set_flag(const char *key, const char *v, int *out) {
    if (strcmp(v, "0") && strcmp(v, "1")) return err_msg("spec_invalid", "spec: %s must be 0 or 1, got '%s'", key, v);
    *out = v[0] == '1';
    return 0;
}

static int set_key(struct spec *s, const char *k, const char *v) {
    uint64_t n;
    if (!strcmp(k, "version")) return strcmp(v, "1") ? err_msg("spec_invalid", "spec: unsupported version %s (this monitor speaks 1)", v) : 0;
    if (!strcmp(k, "id")) { s->id = v; return 0; }
    if (!strcmp(k, "lower")) return push(&s->lower, &s->nlower, v);
    if (!strcmp(k, "upper")) { s->upper = v; return 0; }
    if (!strcmp(k, "work")) { s->work = v; return 0; }
    if (!strcmp(k, "hostname")) { s->hostname = v; return 0; }
    if (!strcmp(k, "arg")) return push(&s->args, &s->nargs, v);
    if (!strcmp(k, "env")) return push(&s->env, &s->nenv, v);
    if (!strcmp(k, "cwd")) { s->cwd = v; return 0; }
    if (!strcmp(k, "user")) { s->user = v; return 0; }
    if (!strcmp(k, "tty")) return set_flag(k, v, &s->tty);
    if (!strcmp(k, "stdin")) return set_flag(k, v, &s->open_stdin);
    if (!strcmp(k, "sync")) return set_flag(k, v, &s->sync);
    if (!strcmp(k, "memory")) return parse_u64(k, v, &s->memory);
    if (!strcmp(k, "nanocpus")) return parse_u64(k, v, &s->nano_cpus);
    if (!strcmp(k, "pids")) return parse_u64(k, v, &s->pids);
    if (!strcmp(k, "mount")) return parse_mount(s, v);
    if (!strcmp(k, "net")) return set_net(s, v);
    if (!strcmp(k, "veth")) return parse_veth(s, v);
    if (!strcmp(k, "log")) { s->log_path = v; return 0; }
    if (!strcmp(k, "log.max")) return parse_u64(k, v, &s->log_max);
    if (!strcmp(k, "log.files")) {
        if (parse_u64(k, v, &n)) return -1;
        if (n < 1 || n > 100) return err_msg("spec_invalid", "spec: log.files must be 1..100, got %s", v);
        s->log_files = (unsigned)n;
        return 0;
    }
    if (!strcmp(k, "rlimit")) return parse_rlimit(s, v);
    if (!strcmp(k, "cols") || !strcmp(k, "rows")) {
        if (parse_u64(k, v, &n)) return -1;
        if (n < 1 || n > 65535) return err_msg("spec_invalid", "spec: %s must be 1..65535, got %s", k, v);
        if (k[0] == 'c') s->cols = (unsigned)n; else s->rows = (unsigned)n;
        return 0;
    }
    if (!strcmp(k, "target.pid")) {
        if (parse_u64(k, v, &n)) return -1;
        s->target_pid = (long)n;
        return 0;
    }
    if (!strcmp(k, "target.cgroup")) return push(&s->target_cgroups, &s->ntarget_cgroups, v);
    return err_msg("spec_invalid", "spec: unknown key '%s'", k);
}

static int validate_id(const char *id) {
    size_t n = strlen(id);
    if (n < 1 || n > 64) return err_msg("spec_invalid", "spec: id must be 1..64 characters");
    for (size_t i = 0; i < n; i++) {
        char c = id[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.'))
            return err_msg("spec_invalid", "spec: id '%s' may only contain [A-Za-z0-9_.-]", id);
    }
    if (id[0] == '.') return err_msg("spec_invalid", "spec: id must not start with '.'");
    return 0;
}

int spec_parse(struct spec *s, char *buf, size_t len) {
    memset(s, 0, sizeof *s);
    s->buf = buf;
    s->cwd = "/";
    s->user = "";
    s->cols = 80;
    s->rows = 24;
    s->log_files = 1;
    size_t i = 0;
    while (i < len) {
        const char *k = buf + i;
        size_t kl = strnlen(k, len - i);
        if (i + kl >= len) return err_msg("spec_invalid", "spec: truncated key at byte %zu", i);
        i += kl + 1;
        const char *v = buf + i;
        size_t vl = strnlen(v, len - i);
        if (i + vl >= len && buf[len] != 0) return err_msg("spec_invalid", "spec: truncated value for '%s'", k);
        i += vl + 1;
        if (set_key(s, k, v)) return -1;
    }
    if (!s->id) return err_msg("spec_invalid", "spec: missing 'id'");
    if (validate_id(s->id)) return -1;
    if (s->nargs == 0) return err_msg("spec_invalid", "spec: missing command ('arg')");
    if (s->cwd[0] != '/') return err_msg("bad_workdir", "working directory '%s' must be an absolute path", s->cwd);
    if (s->nveths && s->net != NET_NEW) return err_msg("spec_invalid", "spec: veth needs 'net new'");
    if (s->target_pid == 0 && (s->nlower == 0 || !s->upper || !s->work))
        return err_msg("spec_invalid", "spec: a container needs 'lower', 'upper' and 'work'");
    return 0;
}

int spec_load(struct spec *s, const char *state_dir) {
    char path[4096];
    if (snprintf(path, sizeof path, "%s/spec", state_dir) >= (int)sizeof path)
        return err_msg("spec_invalid", "state dir path too long: %s", state_dir);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return err_sys("spec_invalid", "cannot open the spec %s", path);
    struct stat st;
    if (fstat(fd, &st) < 0 || st.st_size > (16 << 20)) {
        close(fd);
        return err_msg("spec_invalid", "spec %s is unreadable or larger than 16 MiB", path);
    }
    char *buf = malloc((size_t)st.st_size + 1);
    if (!buf) { close(fd); return err_sys("nomem", "out of memory for the spec"); }
    ssize_t n = read_full(fd, buf, (size_t)st.st_size);
    close(fd);
    if (n != st.st_size) { free(buf); return err_sys("spec_invalid", "cannot read %s", path); }
    buf[n] = 0;
    if (spec_parse(s, buf, (size_t)n)) return -1;
    s->state_dir = state_dir;
    return 0;
}
