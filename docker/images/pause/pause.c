/*
 * Stand-in for the pod sandbox image registry.k8s.io/pause: holds the pod's namespaces and does
 * nothing else. As PID 1 it reaps zombies and exits 0 at once on SIGINT or SIGTERM.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void on_stop(int sig) {
    (void)sig;
    _exit(0);
}

static void on_child(int sig) {
    (void)sig;
    while (waitpid(-1, NULL, WNOHANG) > 0) {
    }
}

static void on(int sig, void (*fn)(int), int flags) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = fn;
    sa.sa_flags = flags;
    sigemptyset(&sa.sa_mask);
    sigaction(sig, &sa, NULL);
}

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "-v") == 0) {
        printf("pause.c stand-in (kubeactor)\n");
        return 0;
    }
    if (getpid() != 1) fprintf(stderr, "Warning: pause should be the first process\n");
    on(SIGINT, on_stop, 0);
    on(SIGTERM, on_stop, 0);
    on(SIGCHLD, on_child, SA_NOCLDSTOP | SA_RESTART);
    for (;;) pause();
    return 42;
}
