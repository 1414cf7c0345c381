/*
 * Stand-in for the Kubernetes Basics tutorial's kubernetes-bootcamp app (node server.js):
 * every request on port 8080 answers "Hello Kubernetes bootcamp! | Running on: <HOSTNAME> | v=N",
 * and each request is logged to stdout as the original does. N comes from -DAPP_VERSION.
 */
#include "tiny_http.h"

#ifndef APP_VERSION
#define APP_VERSION 1
#endif
#define STR2(x) #x
#define STR(x) STR2(x)

static char host[256];

static void handle(const struct th_request *rq, struct th_response *rs) {
    rs->content_type = "text/plain";
    th_body(rs, "Hello Kubernetes bootcamp! | Running on: %s | v=" STR(APP_VERSION) "\n", host);
    char now[64];
    th_iso_now(now, sizeof now);
    uint64_t ms = th_elapsed_ns() / 1000000ull;
    char uptime[32];
    snprintf(uptime, sizeof uptime, "%llu.%03llu", (unsigned long long)(ms / 1000), (unsigned long long)(ms % 1000));
    for (size_t i = strlen(uptime) - 1; uptime[i] == '0' || uptime[i] == '.'; i--) {
        char c = uptime[i];
        uptime[i] = '\0';
        if (c == '.') break;
    }
    th_log(1, "Running On: %s | Total Requests: %llu | App Uptime: %s seconds | Log Time: %s",
           host, (unsigned long long)rq->conn_seq, uptime, now);
}

int main(void) {
    th_init();
    const char *h = getenv("HOSTNAME"); /* the original reads process.env.HOSTNAME */
    if (h && *h) snprintf(host, sizeof host, "%s", h);
    else if (gethostname(host, sizeof host - 1) != 0) snprintf(host, sizeof host, "undefined");
    char now[64];
    th_iso_now(now, sizeof now);
    th_log(1, "Kubernetes Bootcamp App Started At: %s | Running On:  %s \n", now, host);
    th_serve(8080, handle);
}
