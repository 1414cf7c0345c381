/*
 * Stand-in for kiamol/ch02-whoami (an ASP.NET Core app): GET / on port 80 answers, as JSON,
 * "I'm <hostname> running on <OS description>"; other paths answer 404.
 */
#include "tiny_http.h"
#include <sys/utsname.h>

static char reply[1024];

static void handle(const struct th_request *rq, struct th_response *rs) {
    if (strcmp(rq->path, "/") != 0) {
        rs->status = 404;
        rs->content_type = NULL;
        return;
    }
    if (strcmp(rq->method, "GET") != 0 && strcmp(rq->method, "HEAD") != 0) {
        rs->status = 405;
        rs->content_type = NULL;
        th_header(rs, "Allow", "GET");
        return;
    }
    rs->content_type = "application/json; charset=utf-8";
    th_body(rs, "%s", reply);
}

/* Appends s to out as the inside of a JSON string. */
static void json_append(char *out, size_t n, const char *s) {
    size_t used = strlen(out);
    for (; *s && used + 7 < n; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') {
            out[used++] = '\\';
            out[used++] = (char)c;
        } else if (c < 0x20) {
            used += (size_t)snprintf(out + used, n - used, "\\u%04x", c);
        } else {
            out[used++] = (char)c;
        }
    }
    out[used] = '\0';
}

int main(void) {
    th_init();
    char host[256] = "localhost";
    gethostname(host, sizeof host - 1);
    struct utsname u;
    uname(&u);
    char text[900];
    snprintf(text, sizeof text, "I'm %s running on %s %s %s", host, u.sysname, u.release, u.version);
    strcpy(reply, "\"");
    json_append(reply, sizeof reply - 2, text);
    strcat(reply, "\"");

    th_log(1, "info: Microsoft.Hosting.Lifetime[0]\n      Now listening on: http://[::]:80");
    th_log(1, "info: Microsoft.Hosting.Lifetime[0]\n      Application started. Press Ctrl+C to shut down.");
    th_serve(80, handle);
}
