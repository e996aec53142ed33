#define _GNU_SOURCE /* pipe2 */
#include "gnuplot.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define OUTPUT_MAX 16384 /* what we keep of gnuplot's messages */
#define RELAY_LINES 4    /* how many of its last lines an error repeats */
#define INSTALL_HINT "install it with 'apt-get install gnuplot-nox'"

struct child {
	pid_t pid;
	int in_fd;   /* its stdin, ours to write */
	int out_fd;  /* its stdout and stderr, ours to read */
	char output[OUTPUT_MAX];
	size_t output_len;
};

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

/*
 * Starts the program.  The exec error, if any, comes back through a
 * close-on-exec pipe: end of file on it means exec succeeded.
 */
static enum sgd_status spawn(const struct gnuplot_options *opt,
			     const char *workdir, struct child *c,
			     struct sgd_error *err)
{
	int in[2] = { -1, -1 }, out[2] = { -1, -1 }, report[2] = { -1, -1 };
	int child_errno = 0;
	ssize_t n;
	/* The child changes folder before exec: a relative path must be
	 * made absolute first.  A bare name is looked up in PATH. */
	char *resolved = NULL;
	const char *program = opt->program;

	if (strchr(program, '/') && program[0] != '/') {
		resolved = realpath(program, NULL);
		if (!resolved)
			return sgd_error_set(err, SGD_ERR_GNUPLOT_MISSING,
					     "cannot run '%s': not found; "
					     INSTALL_HINT,
					     opt->program);
		program = resolved;
	}

	if (pipe2(in, O_CLOEXEC) || pipe2(out, O_CLOEXEC) ||
	    pipe2(report, O_CLOEXEC)) {
		sgd_error_errno(err, SGD_ERR_GNUPLOT_FAILED, errno,
				"cannot make pipes for gnuplot");
		goto fail;
	}
	c->pid = fork();
	if (c->pid < 0) {
		sgd_error_errno(err, SGD_ERR_GNUPLOT_FAILED, errno,
				"cannot start gnuplot");
		goto fail;
	}
	if (c->pid == 0) {
		/* The child: only async-signal-safe calls until exec. */
		char *const argv[] = { (char *)program, NULL };
		int e;

		setpgid(0, 0);
		signal(SIGPIPE, SIG_DFL);
		if (dup2(in[0], 0) < 0 || dup2(out[1], 1) < 0 ||
		    dup2(out[1], 2) < 0 || chdir(workdir) != 0) {
			e = errno;
			(void)!write(report[1], &e, sizeof(e));
			_exit(127);
		}
		execvp(program, argv);
		e = errno;
		(void)!write(report[1], &e, sizeof(e));
		_exit(127);
	}
	/* Also from the parent, so that killing the group cannot race the
	 * child's own setpgid. */
	setpgid(c->pid, c->pid);
	free(resolved);
	resolved = NULL;
	close_fd(&in[0]);
	close_fd(&out[1]);
	close_fd(&report[1]);
	do
		n = read(report[0], &child_errno, sizeof(child_errno));
	while (n < 0 && errno == EINTR);
	close_fd(&report[0]);
	if (n == (ssize_t)sizeof(child_errno)) {
		waitpid(c->pid, NULL, 0);
		c->pid = -1;
		close_fd(&in[1]);
		close_fd(&out[0]);
		if (child_errno == ENOENT)
			return sgd_error_set(err, SGD_ERR_GNUPLOT_MISSING,
					     "cannot run '%s': not found; "
					     INSTALL_HINT,
					     opt->program);
		return sgd_error_errno(err, SGD_ERR_GNUPLOT_MISSING,
				       child_errno, "cannot run '%s' in '%s'",
				       opt->program, workdir);
	}
	c->in_fd = in[1];
	c->out_fd = out[0];
	fcntl(c->in_fd, F_SETFL, fcntl(c->in_fd, F_GETFL) | O_NONBLOCK);
	return SGD_OK;
fail:
	free(resolved);
	close_fd(&in[0]);
	close_fd(&in[1]);
	close_fd(&out[0]);
	close_fd(&out[1]);
	close_fd(&report[0]);
	close_fd(&report[1]);
	return err->status;
}

static void keep_output(struct child *c, const char *buf, size_t n)
{
	/* Keep the end: gnuplot's last words say what went wrong.  Reads
	 * come in chunks far smaller than the buffer. */
	assert(n < OUTPUT_MAX);
	if (c->output_len + n >= OUTPUT_MAX) {
		size_t drop = c->output_len + n - (OUTPUT_MAX - 1);

		memmove(c->output, c->output + drop, c->output_len - drop);
		c->output_len -= drop;
	}
	memcpy(c->output + c->output_len, buf, n);
	c->output_len += n;
}

/*
 * Feeds the script and collects output until gnuplot closes its end,
 * the deadline passes, or a stop is asked for; then reaps it.
 */
static enum sgd_status feed_and_reap(const struct gnuplot_options *opt,
				     struct child *c, const char *script,
				     size_t len, int *wstatus,
				     struct sgd_error *err)
{
	double deadline = now_seconds() + opt->timeout;
	enum sgd_status status = SGD_OK;
	size_t written = 0;

	if (len == 0)
		close_fd(&c->in_fd);
	while (c->out_fd >= 0) {
		struct pollfd fds[2];
		nfds_t nfds = 0;
		double left = deadline - now_seconds();
		int ready;

		if (opt->stop && *opt->stop) {
			status = sgd_error_set(err, SGD_ERR_INTERRUPTED,
					       "interrupted");
			break;
		}
		if (left <= 0) {
			status = sgd_error_set(err, SGD_ERR_GNUPLOT_TIMEOUT,
					       "gnuplot did not finish within "
					       "%g seconds: killed it",
					       opt->timeout);
			break;
		}
		fds[nfds].fd = c->out_fd;
		fds[nfds++].events = POLLIN;
		if (c->in_fd >= 0) {
			fds[nfds].fd = c->in_fd;
			fds[nfds++].events = POLLOUT;
		}
		/* Wake at least every 100 ms to notice a stop request. */
		ready = poll(fds, nfds, left > 0.1 ? 100 : (int)(left * 1000) + 1);
		if (ready < 0 && errno != EINTR) {
			status = sgd_error_errno(err, SGD_ERR_GNUPLOT_FAILED,
						 errno, "cannot talk to gnuplot");
			break;
		}
		if (ready <= 0)
			continue;
		if (fds[0].revents) {
			char buf[4096];
			ssize_t n = read(c->out_fd, buf, sizeof(buf));

			if (n > 0)
				keep_output(c, buf, (size_t)n);
			else if (n == 0 || errno != EINTR)
				close_fd(&c->out_fd);
		}
		if (nfds > 1 && fds[1].revents) {
			ssize_t n = write(c->in_fd, script + written,
					  len - written);

			if (n > 0)
				written += (size_t)n;
			/* EPIPE: gnuplot quit early; its status says why. */
			if ((n < 0 && errno != EINTR && errno != EAGAIN) ||
			    written == len)
				close_fd(&c->in_fd);
		}
	}
	close_fd(&c->in_fd);
	close_fd(&c->out_fd);
	if (status != SGD_OK)
		kill(-c->pid, SIGKILL);
	while (waitpid(c->pid, wstatus, 0) < 0 && errno == EINTR)
		;
	/* Whatever it started in its group goes with it. */
	kill(-c->pid, SIGKILL);
	c->pid = -1;
	return status;
}

/* The last RELAY_LINES non-blank lines of gnuplot's output, on one line. */
static void last_lines(const struct child *c, char *out, size_t size)
{
	size_t end = c->output_len, start, o = 0;
	int lines = 0;

	while (end > 0 && (c->output[end - 1] == '\n' ||
			   c->output[end - 1] == ' '))
		end--;
	start = end;
	while (start > 0 && lines < RELAY_LINES) {
		start--;
		if (c->output[start] == '\n')
			lines++;
	}
	while (start < end && (c->output[start] == '\n' ||
			       c->output[start] == ' '))
		start++;
	for (; start < end && o + 1 < size; start++) {
		unsigned char ch = (unsigned char)c->output[start];

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

static enum sgd_status run(const struct gnuplot_options *opt,
			   const char *workdir, const char *script, size_t len,
			   struct child *c, struct sgd_error *err)
{
	char said[1024];
	int wstatus = 0;

	memset(c, 0, sizeof(*c));
	c->pid = -1;
	c->in_fd = c->out_fd = -1;
	if (spawn(opt, workdir, c, err))
		return err->status;
	if (feed_and_reap(opt, c, script, len, &wstatus, err))
		return err->status;
	c->output[c->output_len] = '\0';
	if (WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0)
		return SGD_OK;
	last_lines(c, said, sizeof(said));
	if (WIFSIGNALED(wstatus))
		return sgd_error_set(err, SGD_ERR_GNUPLOT_FAILED,
				     "gnuplot was killed by signal %d%s%s",
				     WTERMSIG(wstatus), said[0] ? ": " : "",
				     said);
	return sgd_error_set(err, SGD_ERR_GNUPLOT_FAILED,
			     "gnuplot exited with status %d%s%s",
			     WEXITSTATUS(wstatus), said[0] ? ": " : "", said);
}

enum sgd_status gnuplot_probe(const struct gnuplot_options *opt,
			      char *version, size_t version_size,
			      struct sgd_error *err)
{
	static const char probe[] =
		"print sprintf('sgdplot-probe %g.%s', GPVAL_VERSION, "
		"GPVAL_PATCHLEVEL)\n"
		"set terminal pngcairo\n";
	struct child *c = malloc(sizeof(*c));
	enum sgd_status status;
	const char *v;

	if (!c)
		return sgd_error_set(err, SGD_ERR_NOMEM, "out of memory");
	status = run(opt, ".", probe, sizeof(probe) - 1, c, err);
	if (status == SGD_ERR_GNUPLOT_FAILED &&
	    strstr(c->output, "terminal type")) {
		status = sgd_error_set(err, SGD_ERR_GNUPLOT_TERMINAL,
				       "'%s' has no pngcairo terminal; "
				       "install gnuplot with cairo: "
				       "'apt-get install gnuplot-nox'",
				       opt->program);
	} else if (status == SGD_OK) {
		v = strstr(c->output, "sgdplot-probe ");
		if (!v) {
			status = sgd_error_set(err, SGD_ERR_GNUPLOT_MISSING,
					       "'%s' does not answer as gnuplot "
					       "does; " INSTALL_HINT,
					       opt->program);
		} else {
			size_t n = strcspn(v + 14, "\r\n");

			snprintf(version, version_size, "%.*s", (int)n, v + 14);
		}
	}
	free(c);
	return status;
}

enum sgd_status gnuplot_render(const struct gnuplot_options *opt,
			       const char *workdir, const char *script,
			       size_t len, struct sgd_error *err)
{
	struct child *c = malloc(sizeof(*c));
	enum sgd_status status;

	if (!c)
		return sgd_error_set(err, SGD_ERR_NOMEM, "out of memory");
	status = run(opt, workdir, script, len, c, err);
	free(c);
	return status;
}
