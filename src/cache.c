#define _POSIX_C_SOURCE 200809L
#include "cache.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsutil.h"
#include "png_check.h"
#include "vector.h"

/* sgdplot puts its text chunks right after the header: they are all in
 * the first few kilobytes. */
#define HEAD_BYTES 8192

unsigned long long cache_hash(const char *text)
{
	unsigned long long h = 0xcbf29ce484222325ULL;
	const unsigned char *p = (const unsigned char *)text;

	for (; *p; p++) {
		h ^= *p;
		h *= 0x100000001b3ULL;
	}
	return h;
}

void cache_key(const char *const *parts, size_t count,
	       char key[CACHE_KEY_SIZE])
{
	unsigned long long h = 0xcbf29ce484222325ULL;
	size_t i;

	for (i = 0; i < count; i++) {
		const unsigned char *p = (const unsigned char *)parts[i];

		do {
			h ^= *p;
			h *= 0x100000001b3ULL;
		} while (*p++);
	}
	snprintf(key, CACHE_KEY_SIZE, "%016llx", h);
}

static int exists(const char *dir, const char *name, const char *ext)
{
	char file[128];
	char *path;
	struct stat st;
	int found;

	snprintf(file, sizeof(file), "%s%s", name, ext);
	path = fsutil_join(dir, file);
	found = path && stat(path, &st) == 0 && S_ISREG(st.st_mode);
	free(path);
	return found;
}

/* A vector figure's key: the whole file is read (a few hundred KiB). */
static int vector_fresh(const char *path, enum sgd_format format,
			const char key[CACHE_KEY_SIZE])
{
	char stored[CACHE_KEY_SIZE];
	struct sgd_error err;
	char *data;
	size_t len;
	int fresh;

	if (fsutil_read_file(path, 64L << 20, &data, &len, &err))
		return 0;
	fresh = vector_key(format, data, len, stored, sizeof(stored)) &&
		!strcmp(stored, key);
	free(data);
	return fresh;
}

int cache_is_fresh(const char *dir, const char *name, enum sgd_format format,
		   const char key[CACHE_KEY_SIZE], int with_data)
{
	char file[128], head[HEAD_BYTES];
	char *path, *stored = NULL;
	struct sgd_error err;
	ssize_t n;
	int fd, fresh;

	if ((with_data && !exists(dir, name, ".dat")) ||
	    !exists(dir, name, ".gp"))
		return 0;
	snprintf(file, sizeof(file), "%s.%s", name, batch_format_name(format));
	path = fsutil_join(dir, file);
	if (format != SGD_FORMAT_PNG) {
		fresh = path && vector_fresh(path, format, key);
		free(path);
		return fresh;
	}
	fd = path ? open(path, O_RDONLY | O_CLOEXEC) : -1;
	free(path);
	if (fd < 0)
		return 0;
	n = read(fd, head, sizeof(head));
	close(fd);
	if (n <= 0 ||
	    png_check_get_text(head, (size_t)n, CACHE_PNG_KEYWORD, &stored,
			       &err) != SGD_OK)
		return 0;
	fresh = stored && strcmp(stored, key) == 0;
	free(stored);
	return fresh;
}
