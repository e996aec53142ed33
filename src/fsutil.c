#define _POSIX_C_SOURCE 200809L /* mkstemp, fsync, strdup */
#include "fsutil.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char *fsutil_join(const char *dir, const char *name)
{
	size_t dl = strlen(dir), nl = strlen(name);
	int slash = dl > 0 && dir[dl - 1] != '/';
	char *path = malloc(dl + slash + nl + 1);

	if (!path)
		return NULL;
	memcpy(path, dir, dl);
	if (slash)
		path[dl] = '/';
	memcpy(path + dl + slash, name, nl + 1);
	return path;
}

enum sgd_status fsutil_mkdirs(const char *dir, struct sgd_error *err)
{
	char *path;
	struct stat st;
	char *p;

	if (!*dir)
		return sgd_error_set(err, SGD_ERR_IO,
				     "the output folder name is empty");
	path = strdup(dir);
	if (!path)
		return sgd_error_set(err, SGD_ERR_NOMEM, "out of memory");
	/* Make each parent in turn; existing ones are fine. */
	for (p = path + 1;; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		{
			char saved = *p;

			*p = '\0';
			if (mkdir(path, 0777) != 0 && errno != EEXIST) {
				int e = errno;

				sgd_error_errno(err, SGD_ERR_IO, e,
						"cannot create output folder "
						"'%s'",
						path);
				free(path);
				return SGD_ERR_IO;
			}
			*p = saved;
		}
		if (*p == '\0')
			break;
	}
	free(path);
	if (stat(dir, &st) != 0)
		return sgd_error_errno(err, SGD_ERR_IO, errno,
				       "cannot use output folder '%s'", dir);
	if (!S_ISDIR(st.st_mode))
		return sgd_error_set(err, SGD_ERR_IO,
				     "output folder '%s' is not a folder", dir);
	return SGD_OK;
}

enum sgd_status fsutil_check_writable(const char *dir, struct sgd_error *err)
{
	struct fsutil_tmp probe;

	if (fsutil_tmp_create(&probe, dir, "sgdplot-probe", err))
		return err->status;
	fsutil_tmp_discard(&probe);
	return SGD_OK;
}

void fsutil_tmp_init(struct fsutil_tmp *tmp)
{
	tmp->path = NULL;
	tmp->final_path = NULL;
	tmp->fd = -1;
}

enum sgd_status fsutil_tmp_create(struct fsutil_tmp *tmp, const char *dir,
				  const char *name, struct sgd_error *err)
{
	size_t nl = strlen(name);
	char *tmpname = malloc(nl + 9);

	fsutil_tmp_init(tmp);
	if (!tmpname)
		return sgd_error_set(err, SGD_ERR_NOMEM, "out of memory");
	/* A dot first hides it from globs such as *.png. */
	tmpname[0] = '.';
	memcpy(tmpname + 1, name, nl);
	memcpy(tmpname + 1 + nl, ".XXXXXX", 8);
	tmp->path = fsutil_join(dir, tmpname);
	tmp->final_path = fsutil_join(dir, name);
	free(tmpname);
	if (!tmp->path || !tmp->final_path) {
		fsutil_tmp_discard(tmp);
		return sgd_error_set(err, SGD_ERR_NOMEM, "out of memory");
	}
	tmp->fd = mkstemp(tmp->path);
	if (tmp->fd < 0) {
		int e = errno;

		sgd_error_errno(err, SGD_ERR_IO, e, "cannot create a file in '%s'",
				dir);
		free(tmp->path);
		tmp->path = NULL; /* nothing to remove */
		fsutil_tmp_discard(tmp);
		return SGD_ERR_IO;
	}
	/* mkstemp makes 0600; figures are for sharing. */
	{
		mode_t mask = umask(0);

		umask(mask);
		if (fchmod(tmp->fd, 0666 & ~mask) != 0) {
			int e = errno;

			sgd_error_errno(err, SGD_ERR_IO, e, "cannot set mode of '%s'",
					tmp->path);
			fsutil_tmp_discard(tmp);
			return SGD_ERR_IO;
		}
	}
	return SGD_OK;
}

enum sgd_status fsutil_tmp_write(struct fsutil_tmp *tmp, const void *data,
				 size_t len, struct sgd_error *err)
{
	const char *p = data;

	while (len > 0) {
		ssize_t n = write(tmp->fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return sgd_error_errno(err, SGD_ERR_IO, errno,
					       "cannot write '%s'",
					       tmp->final_path);
		p += n;
		len -= (size_t)n;
	}
	return SGD_OK;
}

enum sgd_status fsutil_tmp_close(struct fsutil_tmp *tmp,
				 struct sgd_error *err)
{
	int fd = tmp->fd;

	if (fd < 0)
		return SGD_OK;
	tmp->fd = -1;
	/* fsync first: after a crash, the rename must not name an empty
	 * file.  On a full disk this is also where a delayed write fails. */
	if (fsync(fd) != 0 && errno != EINVAL) {
		int e = errno;

		close(fd);
		return sgd_error_errno(err, SGD_ERR_IO, e, "cannot write '%s'",
				       tmp->final_path);
	}
	if (close(fd) != 0)
		return sgd_error_errno(err, SGD_ERR_IO, errno,
				       "cannot write '%s'", tmp->final_path);
	return SGD_OK;
}

enum sgd_status fsutil_tmp_commit(struct fsutil_tmp *tmp,
				  struct sgd_error *err)
{
	if (fsutil_tmp_close(tmp, err))
		return err->status;
	if (rename(tmp->path, tmp->final_path) != 0)
		return sgd_error_errno(err, SGD_ERR_IO, errno,
				       "cannot rename '%s' to '%s'", tmp->path,
				       tmp->final_path);
	free(tmp->path);
	free(tmp->final_path);
	fsutil_tmp_init(tmp);
	return SGD_OK;
}

void fsutil_tmp_discard(struct fsutil_tmp *tmp)
{
	if (!tmp)
		return;
	if (tmp->fd >= 0)
		close(tmp->fd);
	if (tmp->path)
		unlink(tmp->path);
	free(tmp->path);
	free(tmp->final_path);
	fsutil_tmp_init(tmp);
}

enum sgd_status fsutil_write_file(const char *dir, const char *name,
				  const void *data, size_t len,
				  struct sgd_error *err)
{
	struct fsutil_tmp tmp;

	if (fsutil_tmp_create(&tmp, dir, name, err))
		return err->status;
	if (fsutil_tmp_write(&tmp, data, len, err) ||
	    fsutil_tmp_commit(&tmp, err)) {
		fsutil_tmp_discard(&tmp);
		return err->status;
	}
	return SGD_OK;
}

enum sgd_status fsutil_read_file(const char *path, size_t max, char **data,
				 size_t *len, struct sgd_error *err)
{
	struct stat st;
	char *buf = NULL;
	size_t got = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	*data = NULL;
	*len = 0;
	if (fd < 0)
		return sgd_error_errno(err, SGD_ERR_IO, errno, "cannot open '%s'",
				       path);
	if (fstat(fd, &st) != 0) {
		sgd_error_errno(err, SGD_ERR_IO, errno, "cannot read '%s'", path);
		goto fail;
	}
	if ((size_t)st.st_size > max) {
		sgd_error_set(err, SGD_ERR_IO, "'%s' is larger than %zu bytes",
			      path, max);
		goto fail;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		sgd_error_set(err, SGD_ERR_NOMEM, "out of memory");
		goto fail;
	}
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			sgd_error_errno(err, SGD_ERR_IO, errno, "cannot read '%s'",
					path);
			goto fail;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	buf[got] = '\0';
	*data = buf;
	*len = got;
	return SGD_OK;
fail:
	free(buf);
	close(fd);
	return err->status;
}
