/*
 * Stand-in for k8s.gcr.io/liveness (Kubernetes' test/images/liveness server) on port 8080:
 *   /healthz   200 "ok" for the first 10 seconds after start, then 500 "error: <seconds>"
 *   /started   200 and the time since start, as a Go duration ("12.5s")
 *   /redirect  302 to the URL-decoded ?loc= parameter
 *   otherwise  404 "404 page not found" (Go's default mux)
 */
#include "tiny_http.h"
#include <ctype.h>

/* Integer part and up to 9 fractional digits of v/unit, trailing zeros dropped (Go's style). */
static int frac(char *out, size_t n, uint64_t v, uint64_t unit, const char *suffix) {
    uint64_t whole = v / unit, rest = v % unit;
    if (rest == 0) return snprintf(out, n, "%llu%s", (unsigned long long)whole, suffix);
    int digits = 0;
    for (uint64_t u = unit; u > 1; u /= 10) digits++;
    char f[32];
    snprintf(f, sizeof f, "%0*llu", digits & 15, (unsigned long long)rest);
    for (int i = (int)strlen(f) - 1; i > 0 && f[i] == '0'; i--) f[i] = '\0';
    return snprintf(out, n, "%llu.%s%s", (unsigned long long)whole, f, suffix);
}

/* time.Duration.String(). */
static void go_duration(char *out, size_t n, uint64_t ns) {
    if (ns == 0) { snprintf(out, n, "0s"); return; }
    if (ns < 1000ull) { snprintf(out, n, "%lluns", (unsigned long long)ns); return; }
    if (ns < 1000000ull) { frac(out, n, ns, 1000ull, "\xc2\xb5s"); return; }
    if (ns < 1000000000ull) { frac(out, n, ns, 1000000ull, "ms"); return; }
    uint64_t h = ns / 3600000000000ull, m = ns / 60000000000ull % 60, s = ns % 60000000000ull;
    int used = 0;
    if (h > 0) used = snprintf(out, n, "%lluh%llum", (unsigned long long)h, (unsigned long long)m);
    else if (m > 0) used = snprintf(out, n, "%llum", (unsigned long long)m);
    frac(out + used, n - (size_t)used, s, 1000000000ull, "s");
}

/* fmt.Sprintf("%v", seconds) for a float: shortest digits that round-trip. */
static void go_float(char *out, size_t n, double v) {
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(out, n, "%.*g", prec, v);
        if (strtod(out, NULL) == v) return;
    }
}

static int hexval(int c) {
    return isdigit(c) ? c - '0' : tolower(c) - 'a' + 10;
}

static void url_decode(char *s) {
    char *w = s;
    for (char *r = s; *r; r++) {
        if (*r == '%' && isxdigit((unsigned char)r[1]) && isxdigit((unsigned char)r[2])) {
            *w++ = (char)(hexval((unsigned char)r[1]) * 16 + hexval((unsigned char)r[2]));
            r += 2;
        } else {
            *w++ = *r == '+' ? ' ' : *r;
        }
    }
    *w = '\0';
}

static void handle(const struct th_request *rq, struct th_response *rs) {
    uint64_t ns = th_elapsed_ns();
    if (strcmp(rq->path, "/healthz") == 0) {
        double seconds = (double)(ns / 1000000000ull) + (double)(ns % 1000000000ull) / 1e9;
        if (seconds > 10) {
            char v[64];
            go_float(v, sizeof v, seconds);
            rs->status = 500;
            th_body(rs, "error: %s", v);
        } else {
            th_body(rs, "ok");
        }
    } else if (strcmp(rq->path, "/started") == 0) {
        char d[64];
        go_duration(d, sizeof d, ns);
        th_body(rs, "%s", d);
    } else if (strcmp(rq->path, "/redirect") == 0) {
        char loc[2048] = "";
        const char *p = rq->query;
        while (p && *p) {
            if (strncmp(p, "loc=", 4) == 0) {
                size_t len = strcspn(p + 4, "&");
                snprintf(loc, sizeof loc, "%.*s", (int)len, p + 4);
                break;
            }
            p = strchr(p, '&');
            if (p) p++;
        }
        url_decode(loc);
        rs->status = 302;
        rs->content_type = "text/html; charset=utf-8";
        th_header(rs, "Location", loc[0] ? loc : "/");
        th_body(rs, "<a href=\"%s\">Found</a>.\n\n", loc[0] ? loc : "/");
    } else {
        rs->status = 404;
        th_header(rs, "X-Content-Type-Options", "nosniff");
        th_body(rs, "404 page not found\n");
    }
}

int main(void) {
    th_init();
    th_serve(8080, handle);
}
