/*
 * A tiny HTTP/1.1 server loop shared by the stand-in images (whoami, liveness, bootcamp).
 *
 * Why C and not python or busybox httpd: a static binary starts in about a millisecond (pod start
 * latency is benchmarked), needs nothing in the image, and as PID 1 it must install its own
 * SIGTERM handler (the kernel ignores default-action signals for PID 1), which busybox httpd does not.
 *
 * One request per connection: the parent accepts and forks, the child reads the request head,
 * answers with "Connection: close" and exits. SIGCHLD is ignored so the kernel reaps children
 * (and, as PID 1, any orphan reparented to us).
 */
#ifndef TINY_HTTP_H
#define TINY_HTTP_H

#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

struct th_request {
    char method[16];
    char path[4096];
    char query[4096];
    uint64_t conn_seq;      /* 1 for the first connection accepted, 2 for the next... */
};

struct th_response {
    int status;
    const char *content_type;
    char headers[1024];     /* extra header lines, each ending in \r\n */
    char body[4096];
    size_t body_len;
};

typedef void (*th_handler)(const struct th_request *rq, struct th_response *rs);

static struct timespec th_started;      /* monotonic time the server started */

static inline uint64_t th_elapsed_ns(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (uint64_t)(now.tv_sec - th_started.tv_sec) * 1000000000ull
           + (uint64_t)now.tv_nsec - (uint64_t)th_started.tv_nsec;
}

/* One write(2) per line so that lines from concurrent children do not interleave. */
static inline void th_log(int fd, const char *fmt, ...) {
    char line[2048];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof line - 1, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    if ((size_t)n > sizeof line - 2) n = sizeof line - 2;
    line[n++] = '\n';
    ssize_t ignored = write(fd, line, (size_t)n);
    (void)ignored;
}

static inline void th_body(struct th_response *rs, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(rs->body, sizeof rs->body, fmt, ap);
    va_end(ap);
    rs->body_len = n < 0 ? 0 : ((size_t)n >= sizeof rs->body ? sizeof rs->body - 1 : (size_t)n);
}

static inline void th_header(struct th_response *rs, const char *name, const char *value) {
    size_t used = strlen(rs->headers);
    snprintf(rs->headers + used, sizeof rs->headers - used, "%s: %s\r\n", name, value);
}

static const char *th_reason(int status) {
    switch (status) {
    case 200: return "OK";
    case 302: return "Found";
    case 400: return "Bad Request";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 500: return "Internal Server Error";
    default: return "Unknown";
    }
}

/* ISO-8601 UTC with milliseconds, as JavaScript prints a Date. */
static inline void th_iso_now(char *out, size_t n) {
    struct timeval tv;
    struct tm tm;
    gettimeofday(&tv, NULL);
    gmtime_r(&tv.tv_sec, &tm);
    size_t len = strftime(out, n, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(out + len, n - len, ".%03ldZ", (long)(tv.tv_usec / 1000));
}

static inline void th_exit_on_signal(int sig) {
    (void)sig;
    _exit(0);
}

static inline void th_on(int sig, void (*fn)(int), int flags) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = fn;
    sa.sa_flags = flags;
    sigemptyset(&sa.sa_mask);
    sigaction(sig, &sa, NULL);
}

/* Dual-stack listener like Go, .NET and node use; IPv4 only where the kernel has no IPv6. */
static inline int th_listen(int port) {
    int one = 1, zero = 0;
    int fd = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd >= 0) {
        struct sockaddr_in6 a6;
        memset(&a6, 0, sizeof a6);
        a6.sin6_family = AF_INET6;
        a6.sin6_port = htons((uint16_t)port);
        a6.sin6_addr = in6addr_any;
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof zero);
        if (bind(fd, (struct sockaddr *)&a6, sizeof a6) == 0 && listen(fd, 512) == 0) return fd;
        close(fd);
    }
    fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    struct sockaddr_in a4;
    memset(&a4, 0, sizeof a4);
    a4.sin_family = AF_INET;
    a4.sin_port = htons((uint16_t)port);
    a4.sin_addr.s_addr = htonl(INADDR_ANY);
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(fd, (struct sockaddr *)&a4, sizeof a4) != 0 || listen(fd, 512) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

static inline void th_write_all(int fd, const char *p, size_t n) {
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return;
        p += w;
        n -= (size_t)w;
    }
}

static inline void th_serve_connection(int fd, uint64_t seq, th_handler handler) {
    char buf[8192];
    size_t got = 0;
    alarm(10); /* a client that never finishes its request does not keep the child forever */
    while (got < sizeof buf - 1) {
        ssize_t r = read(fd, buf + got, sizeof buf - 1 - got);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) break;
        got += (size_t)r;
        buf[got] = '\0';
        if (strstr(buf, "\r\n\r\n") || strstr(buf, "\n\n")) break;
    }
    buf[got] = '\0';
    if (got == 0) return;

    struct th_request rq;
    struct th_response rs;
    memset(&rq, 0, sizeof rq);
    memset(&rs, 0, sizeof rs);
    rq.conn_seq = seq;
    char target[4096] = "";
    if (sscanf(buf, "%15s %4095s", rq.method, target) != 2 || target[0] != '/') {
        rs.status = 400;
        rs.content_type = "text/plain; charset=utf-8";
        th_body(&rs, "400 Bad Request");
    } else {
        char *q = strchr(target, '?');
        if (q) {
            *q++ = '\0';
            snprintf(rq.query, sizeof rq.query, "%s", q);
        }
        snprintf(rq.path, sizeof rq.path, "%s", target);
        rs.status = 200;
        rs.content_type = "text/plain; charset=utf-8";
        handler(&rq, &rs);
    }

    char date[64];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    char head[2048];
    int n = snprintf(head, sizeof head,
                     "HTTP/1.1 %d %s\r\nDate: %s\r\n%s%s%sContent-Length: %zu\r\nConnection: close\r\n%s\r\n",
                     rs.status, th_reason(rs.status), date,
                     rs.content_type ? "Content-Type: " : "", rs.content_type ? rs.content_type : "",
                     rs.content_type ? "\r\n" : "", rs.body_len, rs.headers);
    th_write_all(fd, head, (size_t)n);
    if (strcmp(rq.method, "HEAD") != 0) th_write_all(fd, rs.body, rs.body_len);

    /* Close gracefully: half-close, then drain what the client still sends (a request body),
       so the kernel does not answer with a reset that could destroy the response. */
    shutdown(fd, SHUT_WR);
    struct timeval tv = {1, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    while (read(fd, buf, sizeof buf) > 0) {
    }
}

/* Never returns: serves until SIGTERM/SIGINT, then exits 0 at once. */
static inline void th_serve(int port, th_handler handler) {
    th_on(SIGTERM, th_exit_on_signal, 0);
    th_on(SIGINT, th_exit_on_signal, 0);
    th_on(SIGPIPE, SIG_IGN, 0);
    th_on(SIGCHLD, SIG_IGN, SA_NOCLDWAIT);

    int lfd = th_listen(port);
    if (lfd < 0) {
        th_log(2, "listen tcp :%d: %s", port, strerror(errno));
        exit(1);
    }
    uint64_t seq = 0;
    for (;;) {
        int cfd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
        if (cfd < 0) {
            if (errno != EINTR) usleep(10000); /* EMFILE and friends: back off, never spin */
            continue;
        }
        seq++;
        pid_t pid = fork();
        if (pid == 0) {
            close(lfd);
            th_on(SIGTERM, SIG_DFL, 0);
            th_on(SIGINT, SIG_DFL, 0);
            th_serve_connection(cfd, seq, handler);
            close(cfd);
            _exit(0);
        }
        close(cfd);
    }
}

static inline void th_init(void) {
    clock_gettime(CLOCK_MONOTONIC, &th_started);
}

#endif
