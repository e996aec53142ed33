#define _GNU_SOURCE /* pipe2, posix_spawn_file_actions_addchdir_np */
#include "gnuplot.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define RELAY_LINES 4 /* how many of its last lines an error repeats */
#define INSTALL_HINT "install it with 'apt-get install gnuplot-nox'"
#define MARKER "sgdplot-done "
#define VERSION_TAG "sgdplot-version "

extern char **environ;

static double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

void gnuplot_session_init(struct gnuplot_session *s)
{
	s->pid = -1;
	s->in_fd = s->out_fd = -1;
	s->seq = 0;
	s->version[0] = '\0';
	s->output_len = 0;
	s->scan = 0;
	s->output[0] = '\0';
}

/* Kills the process group and reaps gnuplot. */
static void kill_and_reap(struct gnuplot_session *s)
{
	close_fd(&s->in_fd);
	close_fd(&s->out_fd);
	if (s->pid > 0) {
		kill(-s->pid, SIGKILL);
		while (waitpid(s->pid, NULL, 0) < 0 && errno == EINTR)
			;
	}
	s->pid = -1;
}

void gnuplot_session_release(struct gnuplot_session *s)
{
	if (!s)
		return;
	if (s->pid > 0) {
		double deadline = now_seconds() + 2;
		int status;

		/* End of input lets gnuplot exit by itself; it gets two
		 * seconds before the group is killed. */
		close_fd(&s->in_fd);
		close_fd(&s->out_fd);
		while (waitpid(s->pid, &status, WNOHANG) == 0 &&
		       now_seconds() < deadline)
			usleep(2000);
	}
	kill_and_reap(s); /* its children too, and a gnuplot that lingers */
	gnuplot_session_init(s);
}

/*
 * The environment for gnuplot: ours, with opt->preload put first in
 * LD_PRELOAD.  *env and *entry are the caller's to free.
 */
static char **child_environment(const struct gnuplot_options *opt,
				char **entry)
{
	const char *old = NULL;
	size_t n = 0, i, o = 0, len;
	char **env;

	*entry = NULL;
	for (n = 0; environ[n]; n++)
		if (!strncmp(environ[n], "LD_PRELOAD=", 11))
			old = environ[n] + 11;
	env = malloc((n + 2) * sizeof(*env));
	if (!env)
		return NULL;
	len = strlen(opt->preload) + (old ? strlen(old) + 1 : 0) + 12;
	*entry = malloc(len);
	if (!*entry) {
		free(env);
		return NULL;
	}
	snprintf(*entry, len, "LD_PRELOAD=%s%s%s", opt->preload,
		 old ? ":" : "", old ? old : "");
	for (i = 0; i < n; i++)
		if (strncmp(environ[i], "LD_PRELOAD=", 11))
			env[o++] = environ[i];
	env[o++] = *entry;
	env[o] = NULL;
	return env;
}

/* posix_spawn, unlike fork, is safe beside other threads. */
static enum sgd_status spawn(struct gnuplot_session *s,
			     const struct gnuplot_options *opt,
			     struct sgd_error *err)
{
	int in[2] = { -1, -1 }, out[2] = { -1, -1 };
	posix_spawn_file_actions_t actions;
	posix_spawnattr_t attr;
	sigset_t defaults;
	char *argv[2];
	char **env = environ, *preload_entry = NULL;
	char *resolved = NULL;
	const char *program = opt->program;
	int rc;

	/* gnuplot starts in the output folder: a relative path must be made
	 * absolute first.  A bare name is looked up in PATH. */
	if (strchr(program, '/') && program[0] != '/') {
		resolved = realpath(program, NULL);
		if (!resolved)
			return sgd_error_set(err, SGD_ERR_GNUPLOT_MISSING,
					     "cannot run '%s': not found; "
					     INSTALL_HINT,
					     opt->program);
		program = resolved;
	}
	if (pipe2(in, O_CLOEXEC) || pipe2(out, O_CLOEXEC)) {
		rc = errno;
		close_fd(&in[0]);
		close_fd(&in[1]);
		free(resolved);
		return sgd_error_errno(err, SGD_ERR_GNUPLOT_FAILED, rc,
				       "cannot make pipes for gnuplot");
	}
	posix_spawn_file_actions_init(&actions);
	posix_spawn_file_actions_adddup2(&actions, in[0], 0);
	posix_spawn_file_actions_adddup2(&actions, out[1], 1);
	posix_spawn_file_actions_adddup2(&actions, out[1], 2);
	posix_spawn_file_actions_addchdir_np(&actions, opt->workdir);
	posix_spawnattr_init(&attr);
	/* Its own process group, to kill whatever it starts with it; and
	 * SIGPIPE back to default, since sgdplot ignores it. */
	sigemptyset(&defaults);
	sigaddset(&defaults, SIGPIPE);
	sigaddset(&defaults, SIGINT);
	sigaddset(&defaults, SIGTERM);
	posix_spawnattr_setsigdefault(&attr, &defaults);
	posix_spawnattr_setpgroup(&attr, 0);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP |
						POSIX_SPAWN_SETSIGDEF);
	argv[0] = (char *)program;
	argv[1] = NULL;
	if (opt->preload) {
		env = child_environment(opt, &preload_entry);
		if (!env)
			env = environ; /* slower, not wrong */
	}
	rc = posix_spawnp(&s->pid, program, &actions, &attr, argv, env);
	if (env != environ)
		free(env);
	free(preload_entry);
	posix_spawn_file_actions_destroy(&actions);
	posix_spawnattr_destroy(&attr);
	close_fd(&in[0]);
	close_fd(&out[1]);
	free(resolved);
	if (rc != 0) {
		s->pid = -1;
		close_fd(&in[1]);
		close_fd(&out[0]);
		if (rc == ENOENT)
			return sgd_error_set(err, SGD_ERR_GNUPLOT_MISSING,
					     "cannot run '%s': not found; "
					     INSTALL_HINT,
					     opt->program);
		return sgd_error_errno(err, SGD_ERR_GNUPLOT_MISSING, rc,
				       "cannot run '%s' in '%s'", opt->program,
				       opt->workdir);
	}
	s->in_fd = in[1];
	s->out_fd = out[0];
	fcntl(s->in_fd, F_SETFL, fcntl(s->in_fd, F_GETFL) | O_NONBLOCK);
	s->output_len = s->scan = 0;
	return SGD_OK;
}

static void keep_output(struct gnuplot_session *s, const char *buf, size_t n)
{
	/* Keep the end: gnuplot's last words say what went wrong.  Reads
	 * come in chunks far smaller than the buffer. */
	if (s->output_len + n >= GNUPLOT_OUTPUT_MAX) {
		size_t drop = s->output_len + n - (GNUPLOT_OUTPUT_MAX - 1);

		if (drop > s->output_len)
			drop = s->output_len;
		memmove(s->output, s->output + drop, s->output_len - drop);
		s->output_len -= drop;
		s->scan = s->scan > drop ? s->scan - drop : 0;
	}
	memcpy(s->output + s->output_len, buf, n);
	s->output_len += n;
	s->output[s->output_len] = '\0';
}

/*
 * Looks for "sgdplot-done SEQ ERRNO\n" in what gnuplot printed.  Returns 1
 * and the error number when the marker for `seq` has come.
 */
static int find_marker(struct gnuplot_session *s, unsigned long seq,
		       long *errnum)
{
	char want[48];
	char *p;
	int n = snprintf(want, sizeof(want), MARKER "%lu ", seq);

	while ((p = strstr(s->output + s->scan, want)) != NULL) {
		char *end;
		long v;

		if (!strchr(p, '\n'))
			return 0; /* the rest of its line is still to come */
		errno = 0;
		v = strtol(p + n, &end, 10);
		if (end != p + n && (*end == '\n' || *end == '\r')) {
			*errnum = v;
			/* What came before the marker is this figure's. */
			*p = '\0';
			s->output_len = (size_t)(p - s->output);
			s->scan = 0;
			return 1;
		}
		s->scan = (size_t)(p - s->output) + 1;
	}
	return 0;
}

/* The last RELAY_LINES non-blank lines of the output, on one line. */
static void last_lines(const struct gnuplot_session *s, char *out,
		       size_t size)
{
	size_t end = s->output_len, start, o = 0;
	int lines = 0;

	while (end > 0 && (s->output[end - 1] == '\n' ||
			   s->output[end - 1] == ' '))
		end--;
	start = end;
	while (start > 0 && lines < RELAY_LINES) {
		start--;
		if (s->output[start] == '\n')
			lines++;
	}
	while (start < end && (s->output[start] == '\n' ||
			       s->output[start] == ' '))
		start++;
	for (; start < end && o + 1 < size; start++) {
		unsigned char ch = (unsigned char)s->output[start];

		/* gnuplot points at the error with a caret under the line;
		 * squeeze blanks and show newlines as " | ". */
		if (ch == '\n') {
			if (o + 4 >= size)
				break;
			memcpy(out + o, " | ", 3);
			o += 3;
		} else if (ch == ' ' && (o == 0 || out[o - 1] == ' ')) {
			continue;
		} else if (ch >= 0x20 && ch != 0x7f) {
			out[o++] = (char)ch;
		}
	}
	out[o] = '\0';
}

/* Why gnuplot ended, for a message: after its exit, which the caller has
 * seen coming (end of its output). */
static enum sgd_status report_death(struct gnuplot_session *s,
				    struct sgd_error *err)
{
	char said[1024];
	int status = 0;
	pid_t pid = s->pid;

	close_fd(&s->in_fd);
	close_fd(&s->out_fd);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	kill(-pid, SIGKILL);
	s->pid = -1;
	last_lines(s, said, sizeof(said));
	if (WIFSIGNALED(status))
		return sgd_error_set(err, SGD_ERR_GNUPLOT_FAILED,
				     "gnuplot was killed by signal %d%s%s",
				     WTERMSIG(status), said[0] ? ": " : "",
				     said);
	return sgd_error_set(err, SGD_ERR_GNUPLOT_FAILED,
			     "gnuplot exited with status %d%s%s",
			     WIFEXITED(status) ? WEXITSTATUS(status) : -1,
			     said[0] ? ": " : "", said);
}

/*
 * Sends `prefix`, `len` bytes of `script` and then the marker, and
 * collects output until the marker comes back.  *errnum is gnuplot's
 * error number for the script.
 */
static enum sgd_status exchange(struct gnuplot_session *s,
				const struct gnuplot_options *opt,
				const char *prefix, const char *script,
				size_t len, long *errnum,
				struct sgd_error *err)
{
	char marker[80];
	const char *parts[3];
	size_t lens[3], part = 0, written = 0;
	double deadline = now_seconds() + opt->timeout;

	s->seq++;
	parts[0] = prefix;
	lens[0] = strlen(prefix);
	parts[1] = script;
	lens[1] = len;
	parts[2] = marker;
	lens[2] = (size_t)snprintf(marker, sizeof(marker),
				   "\nunset output\nprint '" MARKER "%lu', "
				   "GPVAL_ERRNO\n",
				   s->seq);
	while (part < 3 && lens[part] == 0)
		part++;
	s->output_len = s->scan = 0;
	s->output[0] = '\0';
	for (;;) {
		struct pollfd fds[2];
		nfds_t nfds = 0;
		double left = deadline - now_seconds();
		int ready;

		if (opt->stop && *opt->stop) {
			kill_and_reap(s);
			return sgd_error_set(err, SGD_ERR_INTERRUPTED,
					     "interrupted");
		}
		if (left <= 0) {
			kill_and_reap(s);
			return sgd_error_set(err, SGD_ERR_GNUPLOT_TIMEOUT,
					     "gnuplot did not finish within "
					     "%g seconds: killed it",
					     opt->timeout);
		}
		fds[nfds].fd = s->out_fd;
		fds[nfds++].events = POLLIN;
		if (part < 3) {
			fds[nfds].fd = s->in_fd;
			fds[nfds++].events = POLLOUT;
		}
		/* Wake at least every 100 ms to notice a stop request. */
		ready = poll(fds, nfds,
			     left > 0.1 ? 100 : (int)(left * 1000) + 1);
		if (ready < 0 && errno != EINTR) {
			int e = errno;

			kill_and_reap(s);
			return sgd_error_errno(err, SGD_ERR_GNUPLOT_FAILED, e,
					       "cannot talk to gnuplot");
		}
		if (ready <= 0)
			continue;
		if (fds[0].revents) {
			char buf[4096];
			ssize_t n = read(s->out_fd, buf, sizeof(buf));

			if (n == 0 || (n < 0 && errno != EINTR &&
				       errno != EAGAIN))
				return report_death(s, err);
			if (n > 0) {
				keep_output(s, buf, (size_t)n);
				if (find_marker(s, s->seq, errnum))
					return SGD_OK;
			}
		}
		if (nfds > 1 && fds[1].revents) {
			ssize_t n = write(s->in_fd, parts[part] + written,
					  lens[part] - written);

			if (n > 0)
				written += (size_t)n;
			else if (n < 0 && errno != EINTR && errno != EAGAIN)
				/* EPIPE: it quit; its output says why. */
				part = 3;
			while (part < 3 && written == lens[part])
				part++, written = 0;
		}
	}
}

enum sgd_status gnuplot_session_start(struct gnuplot_session *s,
				      const struct gnuplot_options *opt,
				      struct sgd_error *err)
{
	static const char probe[] =
		"print sprintf('" VERSION_TAG "%g.%s', GPVAL_VERSION, "
		"GPVAL_PATCHLEVEL)\n"
		"set terminal pngcairo\n";
	const char *v;
	long errnum = 0;
	enum sgd_status status;

	if (s->pid > 0)
		return SGD_OK;
	status = spawn(s, opt, err);
	if (!status)
		status = exchange(s, opt, "", probe, sizeof(probe) - 1,
				  &errnum, err);
	if (status == SGD_ERR_GNUPLOT_FAILED)
		return sgd_error_set(err, SGD_ERR_GNUPLOT_MISSING,
				     "'%s' does not run as gnuplot does (%s); "
				     INSTALL_HINT,
				     opt->program, err->msg);
	if (status)
		return status;
	v = strstr(s->output, VERSION_TAG);
	if (errnum != 0 && strstr(s->output, "terminal type")) {
		kill_and_reap(s);
		return sgd_error_set(err, SGD_ERR_GNUPLOT_TERMINAL,
				     "'%s' has no pngcairo terminal; install "
				     "gnuplot with cairo: 'apt-get install "
				     "gnuplot-nox'",
				     opt->program);
	}
	if (errnum != 0 || !v) {
		kill_and_reap(s);
		return sgd_error_set(err, SGD_ERR_GNUPLOT_MISSING,
				     "'%s' does not answer as gnuplot does; "
				     INSTALL_HINT,
				     opt->program);
	}
	v += strlen(VERSION_TAG);
	snprintf(s->version, sizeof(s->version), "%.*s",
		 (int)strcspn(v, "\r\n"), v);
	return SGD_OK;
}

enum sgd_status gnuplot_session_render(struct gnuplot_session *s,
				       const struct gnuplot_options *opt,
				       const char *script, size_t len,
				       struct sgd_error *err)
{
	char said[1024];
	long errnum = 0;

	if (gnuplot_session_start(s, opt, err))
		return err->status;
	/* Each figure starts from gnuplot's defaults and no error. */
	if (exchange(s, opt, "reset session\nreset errors\n", script, len,
		     &errnum, err))
		return err->status;
	if (errnum == 0)
		return SGD_OK;
	last_lines(s, said, sizeof(said));
	return sgd_error_set(err, SGD_ERR_GNUPLOT_FAILED,
			     "gnuplot failed%s%s", said[0] ? ": " : "", said);
}

enum sgd_status gnuplot_identity(const struct gnuplot_options *opt,
				 char *out, size_t size,
				 struct sgd_error *err)
{
	const char *program = opt->program;
	char *found = NULL;
	struct stat st;

	/* A bare name is found as posix_spawnp will: the first match in
	 * PATH that can be executed. */
	if (!strchr(program, '/')) {
		const char *path = getenv("PATH");
		const char *p = path ? path : "/usr/bin:/bin";

		while (*p) {
			size_t n = strcspn(p, ":");
			char *candidate = malloc(n + strlen(program) + 2);

			if (!candidate)
				return sgd_error_set(err, SGD_ERR_NOMEM,
						     "out of memory");
			snprintf(candidate, n + strlen(program) + 2, "%.*s/%s",
				 (int)n, p, program);
			if (access(candidate, X_OK) == 0) {
				found = candidate;
				break;
			}
			free(candidate);
			p += n + (p[n] == ':');
		}
		if (!found)
			return sgd_error_set(err, SGD_ERR_GNUPLOT_MISSING,
					     "cannot run '%s': not found; "
					     INSTALL_HINT,
					     program);
		program = found;
	}
	if (stat(program, &st) != 0) {
		int e = errno;

		free(found);
		return sgd_error_errno(err, SGD_ERR_GNUPLOT_MISSING, e,
				       "cannot run '%s'; " INSTALL_HINT,
				       opt->program);
	}
	free(found);
	snprintf(out, size, "size=%lld mtime=%lld.%09ld", (long long)st.st_size,
		 (long long)st.st_mtim.tv_sec, (long)st.st_mtim.tv_nsec);
	return SGD_OK;
}
