/*
 * peakrss: run a command and print its peak resident set size in KiB on
 * stderr's last line as "peakrss: N KiB (VmHWM)" or "(ru_maxrss)".
 *
 * Usage: peakrss COMMAND [ARGS...]   (stdout of COMMAND is passed through)
 *
 * The child is traced with PTRACE_O_TRACEEXIT so that /proc/PID/status can be
 * read at the exit stop, when VmHWM holds the high-water mark of the whole
 * run.  Where ptrace is not allowed the rusage of wait4() (ru_maxrss) is used.
 * Used by scripts/bench-list when GNU time is not installed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

static long read_hwm(pid_t pid)
{
	char path[64], line[256];
	long kb = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "VmHWM:", 6)) {
			kb = strtol(line + 6, NULL, 10);
			break;
		}
	fclose(f);
	return kb;
}

int main(int argc, char **argv)
{
	struct rusage ru;
	long hwm = -1;
	int st, traced = 1, code;
	pid_t pid;

	if (argc < 2) {
		fputs("usage: peakrss COMMAND [ARGS...]\n", stderr);
		return 2;
	}
	pid = fork();
	if (pid < 0) {
		perror("peakrss: fork");
		return 2;
	}
	if (pid == 0) {
		if (ptrace(PTRACE_TRACEME, 0, NULL, NULL) == 0)
			raise(SIGSTOP);
		execvp(argv[1], argv + 1);
		fprintf(stderr, "peakrss: %s: %s\n", argv[1], strerror(errno));
		_exit(127);
	}
	if (waitpid(pid, &st, 0) < 0) {
		perror("peakrss: waitpid");
		return 2;
	}
	if (WIFSTOPPED(st)) {
		if (ptrace(PTRACE_SETOPTIONS, pid, NULL, (void *)(long)PTRACE_O_TRACEEXIT) < 0)
			traced = 0;
		ptrace(PTRACE_CONT, pid, NULL, NULL);
	} else {
		traced = 0;
	}
	for (;;) {
		if (wait4(pid, &st, 0, &ru) < 0) {
			perror("peakrss: wait4");
			return 2;
		}
		if (WIFEXITED(st) || WIFSIGNALED(st))
			break;
		if (WIFSTOPPED(st)) {
			int sig = WSTOPSIG(st);

			if (traced && (st >> 8) == (SIGTRAP | (PTRACE_EVENT_EXIT << 8))) {
				hwm = read_hwm(pid);
				sig = 0;
			} else if (sig == SIGTRAP) {
				sig = 0;
			}
			ptrace(PTRACE_CONT, pid, NULL, (void *)(long)sig);
		}
	}
	code = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	if (hwm >= 0)
		fprintf(stderr, "peakrss: %ld KiB (VmHWM)\n", hwm);
	else
		fprintf(stderr, "peakrss: %ld KiB (ru_maxrss)\n", ru.ru_maxrss);
	return code;
}
